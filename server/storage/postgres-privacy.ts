/**
 * The PostgreSQL PrivacyStore: the same database and pool as PostgresMetaStore (handed its query,
 * transaction and account-lock helpers). Writes that depend on a read (the ledger's head, an
 * inquiry's next message, a purge) lock the account's or inquiry's row first, as the meta store
 * does, so two instances cannot interleave them.
 */
import type pg from 'pg';
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

type Queryable = pg.Pool | pg.PoolClient;

interface PgAccess {
  query(sql: string, params?: unknown[], on?: Queryable): Promise<pg.QueryResult<Row>>;
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /** PostgresMetaStore.lockAccount: false when there is no such account. */
  lockAccount(client: pg.PoolClient, accountId: AccountId): Promise<boolean>;
}

/** pg sends a Buffer as BYTEA; make sure a plain Uint8Array is one (without copying). */
export const bytea = (b: Uint8Array): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

export class PostgresPrivacyStore implements PrivacyStore {
  constructor(private readonly pg: PgAccess) {}

  private async rows(sql: string, params: unknown[] = [], on?: Queryable): Promise<Row[]> {
    return (await this.pg.query(sql, params, on)).rows;
  }

  private async one(sql: string, params: unknown[] = [], on?: Queryable): Promise<Row | undefined> {
    return (await this.pg.query(sql, params, on)).rows[0];
  }

  private async count(sql: string, params: unknown[] = [], on?: Queryable): Promise<number> {
    return (await this.pg.query(sql, params, on)).rowCount ?? 0;
  }

  async setSuspended(accountId: AccountId, suspended: boolean) {
    const status = suspended ? 'suspended' : 'active';
    return (await this.count(`UPDATE accounts SET status = $1 WHERE id = $2 AND status IN ('active', 'suspended')`, [status, accountId])) > 0;
  }

  async endSessionsExcept(accountId: AccountId, keep: Uint8Array | null) {
    return this.count('DELETE FROM sessions WHERE account_id = $1 AND ($2::bytea IS NULL OR token_hash <> $2)', [accountId, keep && bytea(keep)]);
  }

  async markDeleted(accountId: AccountId, d: DeletionState, scrambled: Verifier) {
    return this.pg.transaction(async (c) => {
      const changed = await this.count(
        `UPDATE accounts SET status = 'deleted-pending', wrapped_master_key = '\\x'::bytea, auth_salt = $1, auth_hash = $2,
           deletion_requested_at = $3, deletion_due_at = $4, deletion_receipt_id = $5
         WHERE id = $6 AND status IN ('active', 'suspended')`,
        [bytea(scrambled.salt), bytea(scrambled.hash), d.requestedAt, d.dueAt, d.receiptId, accountId],
        c,
      );
      if (changed) await c.query('DELETE FROM sessions WHERE account_id = $1', [accountId]);
      return changed > 0;
    });
  }

  async restoreDeleted(accountId: AccountId, k: { kdf: KdfRecord; authVerifier: Verifier; wrappedMasterKey: Uint8Array }) {
    const changed = await this.count(
      `UPDATE accounts SET status = 'active', kdf_m = $1, kdf_t = $2, kdf_p = $3, kdf_salt = $4, auth_salt = $5, auth_hash = $6,
         wrapped_master_key = $7, deletion_requested_at = NULL, deletion_due_at = NULL, deletion_receipt_id = NULL
       WHERE id = $8 AND status = 'deleted-pending'`,
      [k.kdf.m, k.kdf.t, k.kdf.p, bytea(k.kdf.salt), bytea(k.authVerifier.salt), bytea(k.authVerifier.hash), bytea(k.wrappedMasterKey), accountId],
    );
    return changed > 0;
  }

  async dueForPurge(now: number) {
    return (await this.rows(`SELECT * FROM accounts WHERE status = 'deleted-pending' AND deletion_due_at <= $1`, [now])).map((r) => accountFromRow(r)!);
  }

  async listChunkInfo(accountId: AccountId) {
    return (await this.rows('SELECT id, size, created_at FROM chunks WHERE account_id = $1 ORDER BY id', [accountId])).map(chunkInfoFromRow);
  }

  async purgeAccount(accountId: AccountId, seal: (counts: PurgeCounts) => StoredReceipt) {
    return this.pg.transaction(async (c) => {
      const account = await this.one('SELECT email FROM accounts WHERE id = $1 FOR UPDATE', [accountId], c);
      if (!account) return undefined;
      const bytes = await this.one('SELECT COALESCE(SUM(size), 0)::bigint AS n FROM chunks WHERE account_id = $1', [accountId], c);
      const counts: PurgeCounts = { chunkBytes: Number(bytes!.n) };
      for (const [table, name] of ACCOUNT_TABLES) counts[name] = await this.count(`DELETE FROM ${table} WHERE account_id = $1`, [accountId], c);
      counts.rateLimits = await this.count('DELETE FROM rate_limits WHERE right(key, length($1)) = $1 OR right(key, length($2)) = $2', [
        `:${accountId}`,
        `:${account.email as string}`,
      ], c);
      counts.accounts = await this.count('DELETE FROM accounts WHERE id = $1', [accountId], c);
      const r = seal(counts);
      await c.query('INSERT INTO deletion_receipts (id, signed, signature, created_at) VALUES ($1, $2, $3, $4)', [r.id, r.signed, bytea(r.signature), r.createdAt]);
      return counts;
    });
  }

  async getDeletionReceipt(id: string) {
    return receiptFromRow(await this.one('SELECT * FROM deletion_receipts WHERE id = $1', [id]));
  }

  async appendConsent(accountId: AccountId, e: ConsentEntry) {
    return this.pg.transaction(async (c) => {
      if (!(await this.pg.lockAccount(c, accountId))) return 'broken-chain' as const;
      const head = await this.one('SELECT seq, hash FROM consents WHERE account_id = $1 ORDER BY seq DESC LIMIT 1', [accountId], c);
      if (!followsHead(head && { seq: head.seq as number, hash: head.hash as string }, e)) return 'broken-chain' as const;
      await c.query(
        `INSERT INTO consents (account_id, seq, purpose, action, policy_version, policy_hash, time, device_id, screen_version, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [accountId, e.seq, e.purpose, e.action, e.policyVersion, e.policyHash, e.time, e.deviceId, e.screenVersion, e.prevHash, e.hash],
      );
      return 'ok' as const;
    });
  }

  async listConsents(accountId: AccountId) {
    return (await this.rows('SELECT * FROM consents WHERE account_id = $1 ORDER BY seq', [accountId])).map(consentFromRow);
  }

  async putEmailChange(accountId: AccountId, ch: EmailChangeRecord) {
    await this.pg.query(
      `INSERT INTO email_changes (account_id, email, code_hash, expires_at) SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM accounts WHERE id = $1)
       ON CONFLICT (account_id) DO UPDATE SET email = excluded.email, code_hash = excluded.code_hash, expires_at = excluded.expires_at`,
      [accountId, ch.email, bytea(ch.codeHash), ch.expiresAt],
    );
  }

  async getEmailChange(accountId: AccountId) {
    const r = await this.one('SELECT * FROM email_changes WHERE account_id = $1', [accountId]);
    return r && { email: r.email as string, codeHash: r.code_hash as Uint8Array, expiresAt: r.expires_at as number };
  }

  async deleteEmailChange(accountId: AccountId) {
    await this.pg.query('DELETE FROM email_changes WHERE account_id = $1', [accountId]);
  }

  async appendOutbox(m: OutboxMessage) {
    await this.pg.query('INSERT INTO outbox (time, account_id, recipient, subject, body) VALUES ($1, $2, $3, $4, $5)', [m.time, m.accountId, m.to, m.subject, m.body]);
  }

  async listOutbox(limit: number) {
    return (await this.rows('SELECT * FROM outbox ORDER BY id DESC LIMIT $1', [limit])).map(outboxFromRow);
  }

  async createInquiry(i: Omit<InquiryRecord, 'attachments'>, attachments: readonly InquiryAttachment[]) {
    await this.pg.transaction(async (c) => {
      if (!(await this.one('SELECT 1 FROM accounts WHERE id = $1', [i.accountId], c))) return;
      await c.query('INSERT INTO inquiries (id, account_id, category, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        i.id, i.accountId, i.category, i.status, i.createdAt, i.updatedAt,
      ]);
      for (const [seq, m] of i.messages.entries()) await this.insertMessage(c, i.id, i.accountId, seq, m);
      for (const [seq, a] of attachments.entries()) {
        await c.query('INSERT INTO inquiry_attachments (inquiry_id, seq, account_id, name, media_type, bytes) VALUES ($1, $2, $3, $4, $5, $6)', [
          i.id, seq, i.accountId, a.name, a.type, bytea(a.bytes),
        ]);
      }
    });
  }

  private async insertMessage(on: Queryable, inquiryId: string, accountId: AccountId, seq: number, m: InquiryMessage): Promise<void> {
    await on.query('INSERT INTO inquiry_messages (inquiry_id, seq, account_id, author, body, time) VALUES ($1, $2, $3, $4, $5, $6)', [
      inquiryId, seq, accountId, m.author, m.body, m.time,
    ]);
  }

  /** The inquiries with their messages and attachments, two queries for all of them. */
  private async withParts(rows: Row[]): Promise<InquiryRecord[]> {
    if (rows.length === 0) return [];
    const ids = [rows.map((r) => r.id)];
    const [messages, files] = await Promise.all([
      this.rows('SELECT * FROM inquiry_messages WHERE inquiry_id = ANY($1::text[]) ORDER BY inquiry_id, seq', ids),
      this.rows(
        `SELECT inquiry_id, seq, name, media_type, octet_length(bytes) AS size FROM inquiry_attachments
         WHERE inquiry_id = ANY($1::text[]) ORDER BY inquiry_id, seq`,
        ids,
      ),
    ]);
    return inquiriesFromRows(rows, messages, files);
  }

  async listInquiries(accountId: AccountId | null, status?: InquiryStatus) {
    const rows = await this.rows(
      `SELECT * FROM inquiries WHERE ($1::text IS NULL OR account_id = $1) AND ($2::text IS NULL OR status = $2) ORDER BY created_at DESC, id DESC`,
      [accountId, status ?? null],
    );
    return this.withParts(rows);
  }

  async getInquiry(id: string, accountId: AccountId | null) {
    const r = await this.one('SELECT * FROM inquiries WHERE id = $1 AND ($2::text IS NULL OR account_id = $2)', [id, accountId]);
    return r && (await this.withParts([r]))[0];
  }

  async getInquiryAttachment(id: string, index: number, accountId: AccountId | null) {
    const r = await this.one(
      'SELECT name, media_type, bytes FROM inquiry_attachments WHERE inquiry_id = $1 AND seq = $2 AND ($3::text IS NULL OR account_id = $3)',
      [id, index, accountId],
    );
    return r && { name: r.name as string, type: r.media_type as string, bytes: r.bytes as Uint8Array };
  }

  async addInquiryMessage(id: string, m: InquiryMessage, status: InquiryStatus) {
    return this.pg.transaction(async (c) => {
      const r = await this.one('SELECT account_id FROM inquiries WHERE id = $1 FOR UPDATE', [id], c);
      if (!r) return false;
      const next = (await this.one('SELECT COALESCE(MAX(seq), -1) + 1 AS n FROM inquiry_messages WHERE inquiry_id = $1', [id], c))!.n as number;
      await this.insertMessage(c, id, r.account_id as AccountId, next, m);
      await c.query('UPDATE inquiries SET status = $1, updated_at = $2 WHERE id = $3', [status, m.time, id]);
      return true;
    });
  }

  async setInquiryStatus(id: string, status: InquiryStatus, now: number) {
    return (await this.count('UPDATE inquiries SET status = $1, updated_at = $2 WHERE id = $3', [status, now, id])) > 0;
  }

  async putExternalLink(accountId: AccountId, l: ExternalLink) {
    await this.pg.query(
      `INSERT INTO external_links (account_id, service_id, data, created_at) SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM accounts WHERE id = $1)
       ON CONFLICT (account_id, service_id) DO UPDATE SET data = excluded.data, created_at = excluded.created_at`,
      [accountId, l.serviceId, l.data, l.createdAt],
    );
  }

  async listExternalLinks(accountId: AccountId) {
    return (await this.rows('SELECT * FROM external_links WHERE account_id = $1 ORDER BY service_id', [accountId])).map((r) => ({
      serviceId: r.service_id as string,
      data: r.data as string,
      createdAt: r.created_at as number,
    }));
  }

  async deleteExternalLinks(accountId: AccountId, serviceId: string) {
    return this.count('DELETE FROM external_links WHERE account_id = $1 AND service_id = $2', [accountId, serviceId]);
  }

  async recordStats(marker: string, day: string, counters: Readonly<Record<string, number>>) {
    return this.pg.transaction(async (c) => {
      if ((await this.count('INSERT INTO stats_markers (marker, day) VALUES ($1, $2) ON CONFLICT DO NOTHING', [marker, day], c)) === 0) return false;
      for (const [name, value] of Object.entries(counters)) {
        await c.query(
          'INSERT INTO stats_counters (day, name, value) VALUES ($1, $2, $3) ON CONFLICT (day, name) DO UPDATE SET value = stats_counters.value + excluded.value',
          [day, name, value],
        );
      }
      return true;
    });
  }

  async pruneStatsMarkers(day: string) {
    return this.count('DELETE FROM stats_markers WHERE day < $1', [day]);
  }

  async statsSummary(fromDay: string, toDay: string) {
    return (await this.rows('SELECT day, name, value FROM stats_counters WHERE day >= $1 AND day <= $2 ORDER BY day, name', [fromDay, toDay])).map((r) => ({
      day: r.day as string,
      name: r.name as string,
      value: r.value as number,
    }));
  }

  async queryAccessLog(accountId: AccountId, q: AccessLogQuery) {
    // The route class is the first path segment: "VERB /class" or "VERB /class/...".
    const where = `account_id = $1 AND ($2::bigint IS NULL OR time >= $2) AND ($3::bigint IS NULL OR time <= $3)
      AND ($4::text IS NULL OR device_id = $4)
      AND ($5::text IS NULL OR split_part(split_part(route, ' /', 2), '/', 1) = $5)`;
    const params = [accountId, q.from ?? null, q.to ?? null, q.deviceId ?? null, q.action ?? null];
    const total = Number((await this.one(`SELECT COUNT(*) AS n FROM access_log WHERE ${where}`, params))!.n);
    const rows = await this.rows(`SELECT * FROM access_log WHERE ${where} ORDER BY id DESC LIMIT $6 OFFSET $7`, [...params, q.limit, q.offset]);
    return { entries: rows.map(accessLogFromRow), total };
  }

  async pruneAccessLog(before: number) {
    return this.count('DELETE FROM access_log WHERE time < $1', [before]);
  }
}
