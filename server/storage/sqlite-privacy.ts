/**
 * The embedded PrivacyStore: the same SQLite database as SqliteMetaStore (handed its connection
 * and its cached-statement helpers), one transaction per method. `flushLog` writes the meta store's buffered access-log rows first
 * wherever the log is read or purged, so nothing buffered escapes a query or a purge.
 */
import type Database from 'better-sqlite3';
import type { AccountId } from '../../src/core/ids.ts';
import { followsHead, type ConsentEntry } from '../../src/core/policy/ledger.ts';
import type { KdfRecord, Verifier } from './ports.ts';
import type {
  AccessLogQuery,
  DeletionState,
  EmailChangeRecord,
  ExternalLink,
  InquiryAttachment,
  InquiryMessage,
  InquiryRecord,
  InquiryStatus,
  OutboxMessage,
  PrivacyStore,
  PurgeCounts,
  StoredReceipt,
} from './privacy-ports.ts';
import { ACCOUNT_TABLES, chunkInfoFromRow, consentFromRow, inquiriesFromRows, outboxFromRow, receiptFromRow } from './privacy-rows.ts';
import { accessLogFromRow, accountFromRow, type Row } from './rows.ts';

/** What the privacy store uses of SqliteMetaStore: its connection and its statement cache. */
interface SqliteAccess {
  readonly db: Database.Database;
  get(sql: string, ...params: unknown[]): Row | undefined;
  all(sql: string, ...params: unknown[]): Row[];
  run(sql: string, ...params: unknown[]): Database.RunResult;
  /** Writes the buffered access-log rows. */
  flushLog(): void;
}

export class SqlitePrivacyStore implements PrivacyStore {
  private readonly db: Database.Database;

  constructor(private readonly access: SqliteAccess) {
    this.db = access.db;
  }

  private get(sql: string, ...params: unknown[]): Row | undefined {
    return this.access.get(sql, ...params);
  }

  private all(sql: string, ...params: unknown[]): Row[] {
    return this.access.all(sql, ...params);
  }

  private run(sql: string, ...params: unknown[]): Database.RunResult {
    return this.access.run(sql, ...params);
  }

  private flushLog(): void {
    this.access.flushLog();
  }

  async setSuspended(accountId: AccountId, suspended: boolean) {
    const status = suspended ? 'suspended' : 'active';
    return this.run(`UPDATE accounts SET status = ? WHERE id = ? AND status IN ('active', 'suspended')`, status, accountId).changes > 0;
  }

  async endSessionsExcept(accountId: AccountId, keep: Uint8Array | null) {
    return this.run('DELETE FROM sessions WHERE account_id = ? AND (? IS NULL OR token_hash <> ?)', accountId, keep, keep).changes;
  }

  async markDeleted(accountId: AccountId, d: DeletionState, scrambled: Verifier) {
    return this.db.transaction(() => {
      const changed = this.run(
        `UPDATE accounts SET status = 'deleted-pending', wrapped_master_key = X'', auth_salt = ?, auth_hash = ?,
           deletion_requested_at = ?, deletion_due_at = ?, deletion_receipt_id = ?
         WHERE id = ? AND status IN ('active', 'suspended')`,
        scrambled.salt, scrambled.hash, d.requestedAt, d.dueAt, d.receiptId, accountId,
      ).changes;
      if (changed) this.run('DELETE FROM sessions WHERE account_id = ?', accountId);
      return changed > 0;
    })();
  }

  async restoreDeleted(accountId: AccountId, k: { kdf: KdfRecord; authVerifier: Verifier; wrappedMasterKey: Uint8Array }) {
    return (
      this.run(
        `UPDATE accounts SET status = 'active', kdf_m = ?, kdf_t = ?, kdf_p = ?, kdf_salt = ?, auth_salt = ?, auth_hash = ?,
           wrapped_master_key = ?, deletion_requested_at = NULL, deletion_due_at = NULL, deletion_receipt_id = NULL
         WHERE id = ? AND status = 'deleted-pending'`,
        k.kdf.m, k.kdf.t, k.kdf.p, k.kdf.salt, k.authVerifier.salt, k.authVerifier.hash, k.wrappedMasterKey, accountId,
      ).changes > 0
    );
  }

  async dueForPurge(now: number) {
    return this.all(`SELECT * FROM accounts WHERE status = 'deleted-pending' AND deletion_due_at <= ?`, now).map((r) => accountFromRow(r)!);
  }

  async listChunkInfo(accountId: AccountId) {
    return this.all('SELECT id, size, created_at FROM chunks WHERE account_id = ? ORDER BY id', accountId).map(chunkInfoFromRow);
  }

  async purgeAccount(accountId: AccountId, seal: (counts: PurgeCounts) => StoredReceipt) {
    this.flushLog();
    const counts = this.purgeRows(accountId, seal);
    // The write-ahead log still holds the pages as they were before the purge: copy it into the
    // (zeroed) database and truncate it. Best effort: a reader holding it open defers this to the
    // next checkpoint.
    if (counts) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return counts;
  }

  private purgeRows(accountId: AccountId, seal: (counts: PurgeCounts) => StoredReceipt): PurgeCounts | undefined {
    return this.db.transaction(() => {
      const account = this.get('SELECT email FROM accounts WHERE id = ?', accountId);
      if (!account) return undefined;
      const counts: PurgeCounts = {
        chunkBytes: (this.get('SELECT COALESCE(SUM(size), 0) AS n FROM chunks WHERE account_id = ?', accountId)!.n as number),
      };
      for (const [table, name] of ACCOUNT_TABLES) counts[name] = this.run(`DELETE FROM ${table} WHERE account_id = ?`, accountId).changes;
      // Counters named after the account's id or email (sign-in, registration, confirmation).
      counts.rateLimits = this.run(
        `DELETE FROM rate_limits WHERE substr(key, -length(?)) = ? OR substr(key, -length(?)) = ?`,
        `:${accountId}`, `:${accountId}`, `:${account.email as string}`, `:${account.email as string}`,
      ).changes;
      counts.accounts = this.run('DELETE FROM accounts WHERE id = ?', accountId).changes;
      const r = seal(counts);
      this.run('INSERT INTO deletion_receipts (id, signed, signature, created_at) VALUES (?, ?, ?, ?)', r.id, r.signed, r.signature, r.createdAt);
      return counts;
    })();
  }

  async getDeletionReceipt(id: string) {
    return receiptFromRow(this.get('SELECT * FROM deletion_receipts WHERE id = ?', id));
  }

  async appendConsent(accountId: AccountId, e: ConsentEntry) {
    return this.db.transaction(() => {
      if (!this.get('SELECT 1 FROM accounts WHERE id = ?', accountId)) return 'broken-chain' as const;
      const head = this.get('SELECT seq, hash FROM consents WHERE account_id = ? ORDER BY seq DESC LIMIT 1', accountId);
      if (!followsHead(head && { seq: head.seq as number, hash: head.hash as string }, e)) return 'broken-chain' as const;
      this.run(
        `INSERT INTO consents (account_id, seq, purpose, action, policy_version, policy_hash, time, device_id, screen_version, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        accountId, e.seq, e.purpose, e.action, e.policyVersion, e.policyHash, e.time, e.deviceId, e.screenVersion, e.prevHash, e.hash,
      );
      return 'ok' as const;
    })();
  }

  async listConsents(accountId: AccountId) {
    return this.all('SELECT * FROM consents WHERE account_id = ? ORDER BY seq', accountId).map(consentFromRow);
  }

  async putEmailChange(accountId: AccountId, c: EmailChangeRecord) {
    this.run(
      `INSERT INTO email_changes (account_id, email, code_hash, expires_at) SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM accounts WHERE id = ?)
       ON CONFLICT (account_id) DO UPDATE SET email = excluded.email, code_hash = excluded.code_hash, expires_at = excluded.expires_at`,
      accountId, c.email, c.codeHash, c.expiresAt, accountId,
    );
  }

  async getEmailChange(accountId: AccountId) {
    const r = this.get('SELECT * FROM email_changes WHERE account_id = ?', accountId);
    return r && { email: r.email as string, codeHash: r.code_hash as Uint8Array, expiresAt: r.expires_at as number };
  }

  async deleteEmailChange(accountId: AccountId) {
    this.run('DELETE FROM email_changes WHERE account_id = ?', accountId);
  }

  async appendOutbox(m: OutboxMessage) {
    this.run('INSERT INTO outbox (time, account_id, recipient, subject, body) VALUES (?, ?, ?, ?, ?)', m.time, m.accountId, m.to, m.subject, m.body);
  }

  async listOutbox(limit: number) {
    return this.all('SELECT * FROM outbox ORDER BY id DESC LIMIT ?', limit).map(outboxFromRow);
  }

  async createInquiry(i: Omit<InquiryRecord, 'attachments'>, attachments: readonly InquiryAttachment[]) {
    this.db.transaction(() => {
      if (!this.get('SELECT 1 FROM accounts WHERE id = ?', i.accountId)) return;
      this.run(
        'INSERT INTO inquiries (id, account_id, category, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
        i.id, i.accountId, i.category, i.status, i.createdAt, i.updatedAt,
      );
      i.messages.forEach((m, seq) => this.insertMessage(i.id, i.accountId, seq, m));
      attachments.forEach((a, seq) =>
        this.run(
          'INSERT INTO inquiry_attachments (inquiry_id, seq, account_id, name, media_type, bytes) VALUES (?, ?, ?, ?, ?, ?)',
          i.id, seq, i.accountId, a.name, a.type, a.bytes,
        ),
      );
    })();
  }

  private insertMessage(inquiryId: string, accountId: AccountId, seq: number, m: InquiryMessage): void {
    this.run(
      'INSERT INTO inquiry_messages (inquiry_id, seq, account_id, author, body, time) VALUES (?, ?, ?, ?, ?, ?)',
      inquiryId, seq, accountId, m.author, m.body, m.time,
    );
  }

  /** The inquiries with their messages and attachments, two queries for all of them. */
  private withParts(rows: Row[]): InquiryRecord[] {
    if (rows.length === 0) return [];
    // The ids as one JSON array parameter: no limit on host parameters, one cached statement.
    const ids = JSON.stringify(rows.map((r) => r.id));
    const messages = this.all('SELECT * FROM inquiry_messages WHERE inquiry_id IN (SELECT value FROM json_each(?)) ORDER BY inquiry_id, seq', ids);
    const files = this.all(
      `SELECT inquiry_id, seq, name, media_type, LENGTH(bytes) AS size FROM inquiry_attachments
       WHERE inquiry_id IN (SELECT value FROM json_each(?)) ORDER BY inquiry_id, seq`,
      ids,
    );
    return inquiriesFromRows(rows, messages, files);
  }

  async listInquiries(accountId: AccountId | null, status?: InquiryStatus) {
    return this.withParts(
      this.all(
        `SELECT * FROM inquiries WHERE (? IS NULL OR account_id = ?) AND (? IS NULL OR status = ?) ORDER BY created_at DESC, id DESC`,
        accountId, accountId, status ?? null, status ?? null,
      ),
    );
  }

  async getInquiry(id: string, accountId: AccountId | null) {
    const r = this.get('SELECT * FROM inquiries WHERE id = ? AND (? IS NULL OR account_id = ?)', id, accountId, accountId);
    return r && this.withParts([r])[0];
  }

  async getInquiryAttachment(id: string, index: number, accountId: AccountId | null) {
    const r = this.get(
      'SELECT name, media_type, bytes FROM inquiry_attachments WHERE inquiry_id = ? AND seq = ? AND (? IS NULL OR account_id = ?)',
      id, index, accountId, accountId,
    );
    return r && { name: r.name as string, type: r.media_type as string, bytes: r.bytes as Uint8Array };
  }

  async addInquiryMessage(id: string, m: InquiryMessage, status: InquiryStatus) {
    return this.db.transaction(() => {
      const r = this.get('SELECT account_id FROM inquiries WHERE id = ?', id);
      if (!r) return false;
      const next = this.get('SELECT COALESCE(MAX(seq), -1) + 1 AS n FROM inquiry_messages WHERE inquiry_id = ?', id)!.n as number;
      this.insertMessage(id, r.account_id as AccountId, next, m);
      this.run('UPDATE inquiries SET status = ?, updated_at = ? WHERE id = ?', status, m.time, id);
      return true;
    })();
  }

  async setInquiryStatus(id: string, status: InquiryStatus, now: number) {
    return this.run('UPDATE inquiries SET status = ?, updated_at = ? WHERE id = ?', status, now, id).changes > 0;
  }

  async putExternalLink(accountId: AccountId, l: ExternalLink) {
    this.run(
      `INSERT INTO external_links (account_id, service_id, data, created_at) SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM accounts WHERE id = ?)
       ON CONFLICT (account_id, service_id) DO UPDATE SET data = excluded.data, created_at = excluded.created_at`,
      accountId, l.serviceId, l.data, l.createdAt, accountId,
    );
  }

  async listExternalLinks(accountId: AccountId) {
    return this.all('SELECT * FROM external_links WHERE account_id = ? ORDER BY service_id', accountId).map((r) => ({
      serviceId: r.service_id as string,
      data: r.data as string,
      createdAt: r.created_at as number,
    }));
  }

  async deleteExternalLinks(accountId: AccountId, serviceId: string) {
    return this.run('DELETE FROM external_links WHERE account_id = ? AND service_id = ?', accountId, serviceId).changes;
  }

  async recordStats(marker: string, day: string, counters: Readonly<Record<string, number>>) {
    return this.db.transaction(() => {
      if (this.run('INSERT INTO stats_markers (marker, day) VALUES (?, ?) ON CONFLICT DO NOTHING', marker, day).changes === 0) return false;
      for (const [name, value] of Object.entries(counters)) {
        this.run(
          'INSERT INTO stats_counters (day, name, value) VALUES (?, ?, ?) ON CONFLICT (day, name) DO UPDATE SET value = value + excluded.value',
          day, name, value,
        );
      }
      return true;
    })();
  }

  async pruneStatsMarkers(day: string) {
    return this.run('DELETE FROM stats_markers WHERE day < ?', day).changes;
  }

  async statsSummary(fromDay: string, toDay: string) {
    return this.all('SELECT day, name, value FROM stats_counters WHERE day >= ? AND day <= ? ORDER BY day, name', fromDay, toDay).map((r) => ({
      day: r.day as string,
      name: r.name as string,
      value: r.value as number,
    }));
  }

  async queryAccessLog(accountId: AccountId, q: AccessLogQuery) {
    this.flushLog();
    // The route class is the first path segment: "VERB /class" or "VERB /class/...".
    const where = `account_id = ? AND (? IS NULL OR time >= ?) AND (? IS NULL OR time <= ?) AND (? IS NULL OR device_id = ?)
      AND (? IS NULL OR substr(route, instr(route, ' /') + 2) = ? OR substr(route, instr(route, ' /') + 2) LIKE ? || '/%')`;
    const params = [accountId, q.from ?? null, q.from ?? null, q.to ?? null, q.to ?? null, q.deviceId ?? null, q.deviceId ?? null, q.action ?? null, q.action ?? null, q.action ?? null];
    const total = this.get(`SELECT COUNT(*) AS n FROM access_log WHERE ${where}`, ...params)!.n as number;
    const rows = this.all(`SELECT * FROM access_log WHERE ${where} ORDER BY id DESC LIMIT ? OFFSET ?`, ...params, q.limit, q.offset);
    return { entries: rows.map(accessLogFromRow), total };
  }

  async pruneAccessLog(before: number) {
    this.flushLog();
    return this.run('DELETE FROM access_log WHERE time < ?', before).changes;
  }
}
