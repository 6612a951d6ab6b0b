/**
 * The embedded MetaStore: SQLite through better-sqlite3, WAL with synchronous=FULL, so a committed
 * transaction survives a power cut. Every method runs as one transaction.
 *
 * The access log is the one exception to per-call durability: rows are buffered and written in one
 * transaction every quarter second (or every 200 rows), because an fsync per request would halve
 * upload throughput. A crash can lose the last quarter second of log lines, never stored data.
 */
import Database from 'better-sqlite3';
import type { AccountId, ChunkId, DeviceId, SnapshotId } from '../../src/core/ids.ts';
import { ProcessLocks } from '../locks.ts';
import type {
  AccessLogEntry,
  AccountRecord,
  ChunkRecord,
  CommitResult,
  DeviceRecord,
  GcCandidate,
  MetaStore,
  SessionRecord,
  SnapshotRecord,
} from './ports.ts';
import { accessLogFromRow, accountFromRow, deviceFromRow, sessionFromRow, snapshotInfoFromRow, type Row } from './rows.ts';
import { MIGRATIONS } from './sqlite-schema.ts';
import { SqlitePrivacyStore } from './sqlite-privacy.ts';

const LOG_FLUSH_MS = 250;
const LOG_FLUSH_ROWS = 200;

export class SqliteMetaStore implements MetaStore {
  /** One process owns this store, so in-process locks are shared by everyone who uses it. */
  private readonly locks = new ProcessLocks();

  withChunkLock<T>(accountId: AccountId, id: ChunkId, task: () => Promise<T>): Promise<T> {
    return this.locks.withChunkLock(accountId, id, task);
  }

  runAlone<T>(name: string, task: () => Promise<T>): Promise<T | undefined> {
    return this.locks.runAlone(name, task);
  }

  private readonly db: Database.Database;
  private readonly pendingLog: AccessLogEntry[] = [];
  private logTimer: ReturnType<typeof setTimeout> | undefined;

  readonly privacy: SqlitePrivacyStore;

  /** `path` is a file, or ':memory:' for a private in-memory database. */
  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    // Deleted rows are overwritten with zeros, not left in free pages: a purged account's email
    // and ids must not be recoverable from the file (privacy/purge.ts).
    this.db.pragma('secure_delete = ON');
    this.migrate();
    this.privacy = new SqlitePrivacyStore({
      db: this.db,
      get: (sql, ...params) => this.get(sql, ...params),
      all: (sql, ...params) => this.all(sql, ...params),
      run: (sql, ...params) => this.run(sql, ...params),
      flushLog: () => this.flushLog(),
    });
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  private readonly statements = new Map<string, Database.Statement>();

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  private get(sql: string, ...params: unknown[]): Row | undefined {
    return this.prepare(sql).get(...params) as Row | undefined;
  }

  private all(sql: string, ...params: unknown[]): Row[] {
    return this.prepare(sql).all(...params) as Row[];
  }

  private run(sql: string, ...params: unknown[]): Database.RunResult {
    return this.prepare(sql).run(...params);
  }

  async createAccount(a: AccountRecord, device: DeviceRecord, session: SessionRecord) {
    return this.db.transaction(() => {
      if (this.get('SELECT 1 FROM accounts WHERE id = ?', a.id)) return 'account-exists' as const;
      if (this.get('SELECT 1 FROM accounts WHERE email = ?', a.email)) return 'email-taken' as const;
      this.run(
        `INSERT INTO accounts (id, email, kdf_alg, kdf_m, kdf_t, kdf_p, kdf_salt, auth_salt, auth_hash,
           recovery_salt, recovery_hash, wrapped_master_key, wrapped_recovery_key, status, quota_bytes, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        a.id, a.email, a.kdf.alg, a.kdf.m, a.kdf.t, a.kdf.p, a.kdf.salt, a.authVerifier.salt, a.authVerifier.hash,
        a.recoveryVerifier.salt, a.recoveryVerifier.hash, a.wrappedMasterKey, a.wrappedRecoveryKey, a.status,
        a.quotaBytes, a.createdAt,
      );
      this.insertDevice(a.id, device);
      this.insertSession(session);
      return 'ok' as const;
    })();
  }


  async getAccount(id: AccountId) {
    return accountFromRow(this.get('SELECT * FROM accounts WHERE id = ?', id));
  }

  async getAccountByEmail(email: string) {
    return accountFromRow(this.get('SELECT * FROM accounts WHERE email = ?', email));
  }

  async updateEmail(id: AccountId, email: string) {
    return this.db.transaction(() => {
      const owner = this.get('SELECT id FROM accounts WHERE email = ?', email);
      if (owner && owner.id !== id) return 'email-taken' as const;
      return this.run('UPDATE accounts SET email = ? WHERE id = ?', email, id).changes ? ('ok' as const) : ('not-found' as const);
    })();
  }

  private insertDevice(accountId: AccountId, d: DeviceRecord): void {
    this.run(
      `INSERT INTO devices (account_id, id, name, model, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id, id) DO UPDATE SET name = excluded.name, model = excluded.model, last_seen_at = excluded.last_seen_at`,
      accountId, d.id, d.name, d.model, d.createdAt, d.lastSeenAt,
    );
  }

  private insertSession(s: SessionRecord): void {
    this.run(
      'INSERT INTO sessions (token_hash, account_id, device_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      s.tokenHash, s.accountId, s.deviceId, s.createdAt, s.expiresAt,
    );
  }

  async upsertDevice(accountId: AccountId, device: DeviceRecord) {
    if (this.get('SELECT 1 FROM accounts WHERE id = ?', accountId)) this.insertDevice(accountId, device);
  }

  async listDevices(accountId: AccountId) {
    return this.all('SELECT * FROM devices WHERE account_id = ? ORDER BY created_at, id', accountId).map(deviceFromRow);
  }

  async renameDevice(accountId: AccountId, id: DeviceId, name: string) {
    return this.run('UPDATE devices SET name = ? WHERE account_id = ? AND id = ?', name, accountId, id).changes > 0;
  }

  async touchDevice(accountId: AccountId, id: DeviceId, now: number) {
    this.run('UPDATE devices SET last_seen_at = ? WHERE account_id = ? AND id = ?', now, accountId, id);
  }

  async revokeDevice(accountId: AccountId, id: DeviceId) {
    return this.db.transaction(() => {
      this.run('DELETE FROM sessions WHERE account_id = ? AND device_id = ?', accountId, id);
      return this.run('DELETE FROM devices WHERE account_id = ? AND id = ?', accountId, id).changes > 0;
    })();
  }

  async createSession(session: SessionRecord) {
    this.insertSession(session);
  }

  async getSession(tokenHash: Uint8Array) {
    const r = this.get('SELECT * FROM sessions WHERE token_hash = ?', tokenHash);
    return sessionFromRow(r);
  }

  async deleteSession(tokenHash: Uint8Array) {
    this.run('DELETE FROM sessions WHERE token_hash = ?', tokenHash);
  }

  async deleteExpiredSessions(now: number) {
    return this.run('DELETE FROM sessions WHERE expires_at <= ?', now).changes;
  }

  async getChunk(accountId: AccountId, id: ChunkId) {
    const r = this.get('SELECT size, sha256, created_at, corrupt FROM chunks WHERE account_id = ? AND id = ?', accountId, id);
    return r && { size: r.size as number, sha256: r.sha256 as Uint8Array, createdAt: r.created_at as number, corrupt: r.corrupt === 1 };
  }

  async putChunk(accountId: AccountId, id: ChunkId, c: ChunkRecord) {
    this.db.transaction(() => {
      const previous = this.get('SELECT size FROM chunks WHERE account_id = ? AND id = ?', accountId, id);
      this.run(
        `INSERT INTO chunks (account_id, id, size, sha256, created_at, corrupt) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (account_id, id) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256,
           created_at = excluded.created_at, corrupt = excluded.corrupt, released_at = 0`,
        accountId, id, c.size, c.sha256, c.createdAt, c.corrupt ? 1 : 0,
      );
      this.addUsage(accountId, c.size - ((previous?.size as number | undefined) ?? 0));
    })();
  }

  private addUsage(accountId: AccountId, delta: number): void {
    if (delta !== 0) this.run('UPDATE accounts SET usage_bytes = usage_bytes + ? WHERE id = ?', delta, accountId);
  }

  async markCorrupt(accountId: AccountId, id: ChunkId) {
    this.run('UPDATE chunks SET corrupt = 1 WHERE account_id = ? AND id = ?', accountId, id);
  }

  async missingChunks(accountId: AccountId, ids: readonly ChunkId[]) {
    const present = new Set<string>();
    // In slices, to stay under SQLite's bound-parameter limit.
    for (let at = 0; at < ids.length; at += 500) {
      const slice = ids.slice(at, at + 500);
      const rows = this.all(
        `SELECT id FROM chunks WHERE account_id = ? AND corrupt = 0 AND id IN (${slice.map(() => '?').join(',')})`,
        accountId, ...slice,
      );
      for (const r of rows) present.add(r.id as string);
    }
    return ids.filter((id) => !present.has(id));
  }

  async usageBytes(accountId: AccountId) {
    return (this.get('SELECT usage_bytes FROM accounts WHERE id = ?', accountId)?.usage_bytes as number | undefined) ?? 0;
  }

  async commitSnapshot(accountId: AccountId, s: SnapshotRecord, refs: readonly ChunkId[]): Promise<CommitResult> {
    const unique = [...new Set(refs)];
    return this.db.transaction((): CommitResult => {
      if (this.get('SELECT 1 FROM snapshots WHERE account_id = ? AND id = ?', accountId, s.id)) return { kind: 'exists' };
      const last = this.get('SELECT MAX(counter) AS c FROM snapshots WHERE account_id = ? AND device_id = ?', accountId, s.deviceId);
      if (last && last.c !== null && (last.c as number) >= s.counter) return { kind: 'stale-counter' };
      const lookup = this.prepare('SELECT size FROM chunks WHERE account_id = ? AND id = ? AND corrupt = 0');
      const missing: ChunkId[] = [];
      let bytes = s.sealed.length;
      for (const id of unique) {
        const row = lookup.get(accountId, id) as Row | undefined;
        if (row) bytes += row.size as number;
        else missing.push(id);
      }
      if (missing.length > 0) return { kind: 'missing', missing };
      this.run(
        `INSERT INTO snapshots (account_id, id, kind, device_id, counter, created_at, bytes, chunk_count, sealed)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        accountId, s.id, s.kind, s.deviceId, s.counter, s.createdAt, bytes, unique.length, s.sealed,
      );
      const ref = this.prepare('INSERT INTO snapshot_refs (account_id, snapshot_id, chunk_id) VALUES (?, ?, ?)');
      for (const id of unique) ref.run(accountId, s.id, id);
      this.addUsage(accountId, s.sealed.length);
      return { kind: 'ok' };
    })();
  }


  async listSnapshots(accountId: AccountId, filter: { kind?: 'files' | 'records'; deviceId?: DeviceId }) {
    return this.all(
      `SELECT id, kind, device_id, counter, created_at, bytes, chunk_count FROM snapshots
       WHERE account_id = ? AND (? IS NULL OR kind = ?) AND (? IS NULL OR device_id = ?)
       ORDER BY created_at, counter`,
      accountId, filter.kind ?? null, filter.kind ?? null, filter.deviceId ?? null, filter.deviceId ?? null,
    ).map(snapshotInfoFromRow);
  }

  async getSnapshot(accountId: AccountId, id: SnapshotId) {
    const r = this.get('SELECT * FROM snapshots WHERE account_id = ? AND id = ?', accountId, id);
    return r && { ...snapshotInfoFromRow(r), sealed: r.sealed as Uint8Array };
  }

  async deleteSnapshot(accountId: AccountId, id: SnapshotId, now: number) {
    return this.db.transaction(() => {
      const found = this.get('SELECT LENGTH(sealed) AS n FROM snapshots WHERE account_id = ? AND id = ?', accountId, id);
      if (!found) return false;
      this.run('DELETE FROM snapshots WHERE account_id = ? AND id = ?', accountId, id);
      this.addUsage(accountId, -(found.n as number));
      this.run(
        `UPDATE chunks SET released_at = ? WHERE account_id = ? AND id IN
           (SELECT chunk_id FROM snapshot_refs WHERE account_id = ? AND snapshot_id = ?)`,
        now, accountId, accountId, id,
      );
      this.run('DELETE FROM snapshot_refs WHERE account_id = ? AND snapshot_id = ?', accountId, id);
      return true;
    })();
  }

  async gcCandidates(before: number, limit: number) {
    return this.all(
      `SELECT c.account_id, c.id, c.size FROM chunks c JOIN accounts a ON a.id = c.account_id AND a.status = 'active'
       WHERE c.created_at < ? AND c.released_at < ?
         AND NOT EXISTS (SELECT 1 FROM snapshot_refs r WHERE r.account_id = c.account_id AND r.chunk_id = c.id)
       LIMIT ?`,
      before, before, limit,
    ).map((r) => ({ accountId: r.account_id as AccountId, id: r.id as ChunkId, size: r.size as number }) satisfies GcCandidate);
  }

  async deleteIfUnreferenced(accountId: AccountId, id: ChunkId, before: number) {
    return this.db.transaction(() => {
      const row = this.get(
        `DELETE FROM chunks WHERE account_id = ? AND id = ? AND created_at < ? AND released_at < ?
           AND NOT EXISTS (SELECT 1 FROM snapshot_refs r WHERE r.account_id = ? AND r.chunk_id = ?)
         RETURNING size`,
        accountId, id, before, before, accountId, id,
      );
      if (row) this.addUsage(accountId, -(row.size as number));
      return row !== undefined;
    })();
  }

  async appendAccessLog(entry: AccessLogEntry) {
    this.pendingLog.push(entry);
    if (this.pendingLog.length >= LOG_FLUSH_ROWS) this.flushLog();
    else this.logTimer ??= setTimeout(() => this.flushLog(), LOG_FLUSH_MS).unref();
  }

  private flushLog(): void {
    if (this.logTimer) clearTimeout(this.logTimer);
    this.logTimer = undefined;
    if (this.pendingLog.length === 0) return;
    const rows = this.pendingLog.splice(0);
    const insert = this.prepare('INSERT INTO access_log (time, ip, account_id, device_id, route, status) VALUES (?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const e of rows) insert.run(e.time, e.ip, e.accountId, e.deviceId, e.route, e.status);
    })();
  }

  async listAccessLog(accountId: AccountId, limit: number) {
    this.flushLog();
    return this.all('SELECT * FROM access_log WHERE account_id = ? ORDER BY id DESC LIMIT ?', accountId, limit).map(accessLogFromRow);
  }

  async hitRateLimit(key: string, windowMs: number, now: number) {
    const window = Math.floor(now / windowMs);
    const row = this.get(
      `INSERT INTO rate_limits (key, window, count, expires_at) VALUES (?, ?, 1, ?)
       ON CONFLICT (key) DO UPDATE SET count = CASE WHEN window = excluded.window THEN count + 1 ELSE 1 END,
         window = excluded.window, expires_at = excluded.expires_at
       RETURNING count`,
      key, window, (window + 1) * windowMs,
    );
    return row!.count as number;
  }

  async pruneRateLimits(now: number) {
    return this.run('DELETE FROM rate_limits WHERE expires_at <= ?', now).changes;
  }

  async integrityCheck() {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  async close() {
    this.flushLog();
    this.db.close();
  }
}
