/**
 * The networked MetaStore: PostgreSQL through node-postgres (`pg`), for running several server
 * instances on one database. Same semantics as the SQLite store (sqlite-meta.ts), method for method.
 *
 * Where SQLite's single writer makes a read-then-write safe, two instances here could interleave,
 * so every transaction that changes an account's chunks, snapshots or usage first locks the
 * account's row (SELECT ... FOR UPDATE): a commit's device-counter and chunk checks, GC's re-check
 * and the usage counter cannot race another instance's writes to the same account. Unique
 * violations that a concurrent insert can still cause (email, account id) map to the same answers
 * as the checks that precede them.
 *
 * Migrations (postgres-schema.ts) run on open; `PostgresMetaStore.open` waits for them, and every
 * method waits for them too, so a store made with `new` is usable at once.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { AccountId, ChunkId, DeviceId, SnapshotId } from '../../src/core/ids.ts';
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
import { MIGRATIONS } from './postgres-schema.ts';
import { bytea, PostgresPrivacyStore } from './postgres-privacy.ts';

type Queryable = pg.Pool | pg.PoolClient;

const INT8_OID = 20;
/** pg_advisory_xact_lock key serializing migrations across instances ("kura" in ASCII). */
const MIGRATION_LOCK = 0x6b757261;

/** BIGINT arrives as a string (it may exceed 2^53); every BIGINT here is a time, size or count, well within. */
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`BIGINT ${value} is beyond a safe JavaScript integer`);
  return n;
}

const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const isUniqueViolation = (e: unknown, constraint: string): boolean =>
  e instanceof pg.DatabaseError && e.code === '23505' && e.constraint === constraint;

/** Uploads and collections that may wait on chunk locks at once, per instance. */
const LOCK_CONNECTIONS = 16;

export class PostgresMetaStore implements MetaStore {
  private readonly pool: pg.Pool;
  /**
   * Connections that hold chunk locks, apart from the main pool: a task holding a lock uses the
   * main pool for its queries, so locks can never take every connection its work needs.
   */
  private readonly lockPool: pg.Pool;
  private readonly ready: Promise<void>;
  private closed = false;
  readonly privacy = new PostgresPrivacyStore({
    query: (sql, params, on) => this.query(sql, params, on),
    transaction: (work) => this.transaction(work),
    lockAccount: (client, accountId) => this.lockAccount(client, accountId),
  });

  /** `config` is a postgres:// URL or a pg pool configuration. */
  constructor(config: string | pg.PoolConfig) {
    const base = typeof config === 'string' ? { connectionString: config } : config;
    this.pool = new pg.Pool({ ...base, types: typeParsers });
    this.lockPool = new pg.Pool({ ...base, max: LOCK_CONNECTIONS });
    // An idle client losing its connection must not crash the process; the pool replaces it. After
    // close() it is one of ours being discarded: pg's pool.end() resolves before every socket has
    // closed, so a server ending connections then (a restart, a dropped test database) is no error.
    this.pool.on('error', (e) => this.closed || console.error('PostgreSQL idle client error:', e.message));
    this.lockPool.on('error', (e) => this.closed || console.error('PostgreSQL idle lock client error:', e.message));
    this.ready = this.migrate();
    this.ready.catch(() => undefined);
  }

  /** Opens the store and waits for its migrations, so a bad URL or schema fails at start. */
  static async open(config: string | pg.PoolConfig): Promise<PostgresMetaStore> {
    const store = new PostgresMetaStore(config);
    try {
      await store.ready;
    } catch (e) {
      await store.pool.end().catch(() => undefined);
      await store.lockPool.end().catch(() => undefined);
      throw e;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query<{ v: number }>('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations');
      for (let v = rows[0]!.v; v < MIGRATIONS.length; v++) {
        await client.query(MIGRATIONS[v]!);
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v + 1]);
      }
      await client.query('COMMIT');
      client.release();
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release(true);
      throw e;
    }
  }

  private async query(sql: string, params: unknown[] = [], on: Queryable = this.pool): Promise<pg.QueryResult<Row>> {
    await this.ready;
    return on.query<Row>(sql, params);
  }

  private async get(sql: string, params: unknown[] = [], on?: Queryable): Promise<Row | undefined> {
    return (await this.query(sql, params, on)).rows[0];
  }

  /** Runs `work` in one transaction on a client of its own; rolls back if it throws. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.ready;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (e) {
      const broken = await client.query('ROLLBACK').then(() => false, () => true);
      client.release(broken);
      throw e;
    }
  }

  /**
   * Locks the account's row until the transaction ends: writes to one account are serialized.
   * False when there is no such account (nothing to lock).
   */
  private async lockAccount(client: pg.PoolClient, accountId: AccountId): Promise<boolean> {
    return ((await client.query('SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE', [accountId])).rowCount ?? 0) > 0;
  }

  private async addUsage(client: pg.PoolClient, accountId: AccountId, delta: number): Promise<void> {
    if (delta !== 0) await client.query('UPDATE accounts SET usage_bytes = usage_bytes + $1 WHERE id = $2', [delta, accountId]);
  }

  async createAccount(a: AccountRecord, device: DeviceRecord, session: SessionRecord) {
    try {
      return await this.transaction(async (c) => {
        if (await this.get('SELECT 1 FROM accounts WHERE id = $1', [a.id], c)) return 'account-exists' as const;
        if (await this.get('SELECT 1 FROM accounts WHERE email = $1', [a.email], c)) return 'email-taken' as const;
        await c.query(
          `INSERT INTO accounts (id, email, kdf_alg, kdf_m, kdf_t, kdf_p, kdf_salt, auth_salt, auth_hash,
             recovery_salt, recovery_hash, wrapped_master_key, wrapped_recovery_key, status, quota_bytes, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
          [
            a.id, a.email, a.kdf.alg, a.kdf.m, a.kdf.t, a.kdf.p, bytea(a.kdf.salt), bytea(a.authVerifier.salt),
            bytea(a.authVerifier.hash), bytea(a.recoveryVerifier.salt), bytea(a.recoveryVerifier.hash),
            bytea(a.wrappedMasterKey), bytea(a.wrappedRecoveryKey), a.status, a.quotaBytes, a.createdAt,
          ],
        );
        await this.insertDevice(c, a.id, device);
        await this.insertSession(c, session);
        return 'ok' as const;
      });
    } catch (e) {
      // Another instance inserted the same id or email between the checks and the insert.
      if (isUniqueViolation(e, 'accounts_pkey')) return 'account-exists' as const;
      if (isUniqueViolation(e, 'accounts_email_key')) return 'email-taken' as const;
      throw e;
    }
  }


  async getAccount(id: AccountId) {
    return accountFromRow(await this.get('SELECT * FROM accounts WHERE id = $1', [id]));
  }

  async getAccountByEmail(email: string) {
    return accountFromRow(await this.get('SELECT * FROM accounts WHERE email = $1', [email]));
  }

  async updateEmail(id: AccountId, email: string) {
    try {
      return await this.transaction(async (c) => {
        const owner = await this.get('SELECT id FROM accounts WHERE email = $1', [email], c);
        if (owner && owner.id !== id) return 'email-taken' as const;
        const { rowCount } = await c.query('UPDATE accounts SET email = $1 WHERE id = $2', [email, id]);
        return rowCount ? ('ok' as const) : ('not-found' as const);
      });
    } catch (e) {
      if (isUniqueViolation(e, 'accounts_email_key')) return 'email-taken' as const;
      throw e;
    }
  }

  private async insertDevice(on: Queryable, accountId: AccountId, d: DeviceRecord): Promise<void> {
    await on.query(
      `INSERT INTO devices (account_id, id, name, model, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (account_id, id) DO UPDATE SET name = excluded.name, model = excluded.model, last_seen_at = excluded.last_seen_at`,
      [accountId, d.id, d.name, d.model, d.createdAt, d.lastSeenAt],
    );
  }

  private async insertSession(on: Queryable, s: SessionRecord): Promise<void> {
    await on.query(
      'INSERT INTO sessions (token_hash, account_id, device_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [bytea(s.tokenHash), s.accountId, s.deviceId, s.createdAt, s.expiresAt],
    );
  }

  async upsertDevice(accountId: AccountId, d: DeviceRecord) {
    // One statement: the device is added only if the account exists (SQLite checks, then inserts).
    await this.query(
      `INSERT INTO devices (account_id, id, name, model, created_at, last_seen_at)
       SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM accounts WHERE id = $1)
       ON CONFLICT (account_id, id) DO UPDATE SET name = excluded.name, model = excluded.model, last_seen_at = excluded.last_seen_at`,
      [accountId, d.id, d.name, d.model, d.createdAt, d.lastSeenAt],
    );
  }

  async listDevices(accountId: AccountId) {
    const { rows } = await this.query('SELECT * FROM devices WHERE account_id = $1 ORDER BY created_at, id', [accountId]);
    return rows.map(deviceFromRow);
  }

  async renameDevice(accountId: AccountId, id: DeviceId, name: string) {
    return ((await this.query('UPDATE devices SET name = $1 WHERE account_id = $2 AND id = $3', [name, accountId, id])).rowCount ?? 0) > 0;
  }

  async touchDevice(accountId: AccountId, id: DeviceId, now: number) {
    await this.query('UPDATE devices SET last_seen_at = $1 WHERE account_id = $2 AND id = $3', [now, accountId, id]);
  }

  async revokeDevice(accountId: AccountId, id: DeviceId) {
    return this.transaction(async (c) => {
      await c.query('DELETE FROM sessions WHERE account_id = $1 AND device_id = $2', [accountId, id]);
      return ((await c.query('DELETE FROM devices WHERE account_id = $1 AND id = $2', [accountId, id])).rowCount ?? 0) > 0;
    });
  }

  async createSession(session: SessionRecord) {
    await this.ready;
    await this.insertSession(this.pool, session);
  }

  async getSession(tokenHash: Uint8Array) {
    const r = await this.get('SELECT * FROM sessions WHERE token_hash = $1', [bytea(tokenHash)]);
    return sessionFromRow(r);
  }

  async deleteSession(tokenHash: Uint8Array) {
    await this.query('DELETE FROM sessions WHERE token_hash = $1', [bytea(tokenHash)]);
  }

  async deleteExpiredSessions(now: number) {
    return (await this.query('DELETE FROM sessions WHERE expires_at <= $1', [now])).rowCount ?? 0;
  }

  async getChunk(accountId: AccountId, id: ChunkId) {
    const r = await this.get('SELECT size, sha256, created_at, corrupt FROM chunks WHERE account_id = $1 AND id = $2', [accountId, id]);
    return r && { size: r.size as number, sha256: r.sha256 as Uint8Array, createdAt: r.created_at as number, corrupt: r.corrupt === true };
  }

  async putChunk(accountId: AccountId, id: ChunkId, ch: ChunkRecord) {
    await this.transaction(async (c) => {
      await this.lockAccount(c, accountId);
      const previous = await this.get('SELECT size FROM chunks WHERE account_id = $1 AND id = $2', [accountId, id], c);
      await c.query(
        `INSERT INTO chunks (account_id, id, size, sha256, created_at, corrupt) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (account_id, id) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256,
           created_at = excluded.created_at, corrupt = excluded.corrupt, released_at = 0`,
        [accountId, id, ch.size, bytea(ch.sha256), ch.createdAt, ch.corrupt],
      );
      await this.addUsage(c, accountId, ch.size - ((previous?.size as number | undefined) ?? 0));
    });
  }

  async markCorrupt(accountId: AccountId, id: ChunkId) {
    await this.query('UPDATE chunks SET corrupt = TRUE WHERE account_id = $1 AND id = $2', [accountId, id]);
  }

  async missingChunks(accountId: AccountId, ids: readonly ChunkId[]) {
    if (ids.length === 0) return [];
    // One query with an array parameter: PostgreSQL has no small bound-parameter limit to slice around.
    const { rows } = await this.query('SELECT id FROM chunks WHERE account_id = $1 AND NOT corrupt AND id = ANY($2::text[])', [
      accountId,
      [...ids],
    ]);
    const present = new Set(rows.map((r) => r.id as string));
    return ids.filter((id) => !present.has(id));
  }

  async usageBytes(accountId: AccountId) {
    return ((await this.get('SELECT usage_bytes FROM accounts WHERE id = $1', [accountId]))?.usage_bytes as number | undefined) ?? 0;
  }

  async commitSnapshot(accountId: AccountId, s: SnapshotRecord, refs: readonly ChunkId[]): Promise<CommitResult> {
    const unique = [...new Set(refs)];
    return this.transaction(async (c): Promise<CommitResult> => {
      // Held until commit: another instance's commit (same counter) or GC (same chunks) waits for it.
      await this.lockAccount(c, accountId);
      if (await this.get('SELECT 1 FROM snapshots WHERE account_id = $1 AND id = $2', [accountId, s.id], c)) return { kind: 'exists' };
      const last = await this.get('SELECT MAX(counter) AS c FROM snapshots WHERE account_id = $1 AND device_id = $2', [accountId, s.deviceId], c);
      if (last && last.c !== null && (last.c as number) >= s.counter) return { kind: 'stale-counter' };
      const { rows } = await c.query<Row>('SELECT id, size FROM chunks WHERE account_id = $1 AND NOT corrupt AND id = ANY($2::text[])', [
        accountId,
        unique,
      ]);
      const sizes = new Map(rows.map((r) => [r.id as string, r.size as number]));
      const missing = unique.filter((id) => !sizes.has(id));
      if (missing.length > 0) return { kind: 'missing', missing };
      let bytes = s.sealed.length;
      for (const size of sizes.values()) bytes += size;
      await c.query(
        `INSERT INTO snapshots (account_id, id, kind, device_id, counter, created_at, bytes, chunk_count, sealed)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [accountId, s.id, s.kind, s.deviceId, s.counter, s.createdAt, bytes, unique.length, bytea(s.sealed)],
      );
      if (unique.length > 0) {
        await c.query('INSERT INTO snapshot_refs (account_id, snapshot_id, chunk_id) SELECT $1, $2, unnest($3::text[])', [accountId, s.id, unique]);
      }
      await this.addUsage(c, accountId, s.sealed.length);
      return { kind: 'ok' };
    });
  }


  async listSnapshots(accountId: AccountId, filter: { kind?: 'files' | 'records'; deviceId?: DeviceId }) {
    const { rows } = await this.query(
      `SELECT id, kind, device_id, counter, created_at, bytes, chunk_count FROM snapshots
       WHERE account_id = $1 AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR device_id = $3)
       ORDER BY created_at, counter`,
      [accountId, filter.kind ?? null, filter.deviceId ?? null],
    );
    return rows.map(snapshotInfoFromRow);
  }

  async getSnapshot(accountId: AccountId, id: SnapshotId) {
    const r = await this.get('SELECT * FROM snapshots WHERE account_id = $1 AND id = $2', [accountId, id]);
    return r && { ...snapshotInfoFromRow(r), sealed: r.sealed as Uint8Array };
  }

  async deleteSnapshot(accountId: AccountId, id: SnapshotId, now: number) {
    return this.transaction(async (c) => {
      await this.lockAccount(c, accountId);
      const found = await this.get('DELETE FROM snapshots WHERE account_id = $1 AND id = $2 RETURNING octet_length(sealed) AS n', [accountId, id], c);
      if (!found) return false;
      await this.addUsage(c, accountId, -(found.n as number));
      await c.query(
        `UPDATE chunks SET released_at = $1 WHERE account_id = $2 AND id IN
           (SELECT chunk_id FROM snapshot_refs WHERE account_id = $2 AND snapshot_id = $3)`,
        [now, accountId, id],
      );
      await c.query('DELETE FROM snapshot_refs WHERE account_id = $1 AND snapshot_id = $2', [accountId, id]);
      return true;
    });
  }

  async gcCandidates(before: number, limit: number) {
    const { rows } = await this.query(
      `SELECT c.account_id, c.id, c.size FROM chunks c JOIN accounts a ON a.id = c.account_id AND a.status = 'active'
       WHERE c.created_at < $1 AND c.released_at < $1
         AND NOT EXISTS (SELECT 1 FROM snapshot_refs r WHERE r.account_id = c.account_id AND r.chunk_id = c.id)
       LIMIT $2`,
      [before, limit],
    );
    return rows.map((r) => ({ accountId: r.account_id as AccountId, id: r.id as ChunkId, size: r.size as number }) satisfies GcCandidate);
  }

  async deleteIfUnreferenced(accountId: AccountId, id: ChunkId, before: number) {
    return this.transaction(async (c) => {
      // Waits for a commit in progress on this account, so the NOT EXISTS below sees its refs.
      await this.lockAccount(c, accountId);
      const row = await this.get(
        `DELETE FROM chunks WHERE account_id = $1 AND id = $2 AND created_at < $3 AND released_at < $3
           AND NOT EXISTS (SELECT 1 FROM snapshot_refs r WHERE r.account_id = $1 AND r.chunk_id = $2)
         RETURNING size`,
        [accountId, id, before],
        c,
      );
      if (row) await this.addUsage(c, accountId, -(row.size as number));
      return row !== undefined;
    });
  }

  async appendAccessLog(e: AccessLogEntry) {
    await this.query('INSERT INTO access_log (time, ip, account_id, device_id, route, status) VALUES ($1, $2, $3, $4, $5, $6)', [
      e.time, e.ip, e.accountId, e.deviceId, e.route, e.status,
    ]);
  }

  async listAccessLog(accountId: AccountId, limit: number) {
    const { rows } = await this.query('SELECT * FROM access_log WHERE account_id = $1 ORDER BY id DESC LIMIT $2', [accountId, limit]);
    return rows.map(accessLogFromRow);
  }

  async hitRateLimit(key: string, windowMs: number, now: number) {
    const window = Math.floor(now / windowMs);
    const row = await this.get(
      `INSERT INTO rate_limits (key, window_index, count, expires_at) VALUES ($1, $2, 1, $3)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN rate_limits.window_index = excluded.window_index THEN rate_limits.count + 1 ELSE 1 END,
         window_index = excluded.window_index, expires_at = excluded.expires_at
       RETURNING count`,
      [key, window, (window + 1) * windowMs],
    );
    return row!.count as number;
  }

  async pruneRateLimits(now: number) {
    return (await this.query('DELETE FROM rate_limits WHERE expires_at <= $1', [now])).rowCount ?? 0;
  }

  /** PostgreSQL checks its own pages; this checks the database answers and carries this code's schema. */
  async integrityCheck() {
    const row = await this.get('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations');
    const version = row?.v as number;
    return version === MIGRATIONS.length ? 'ok' : `schema version ${version}, expected ${MIGRATIONS.length}`;
  }

  /**
   * A session-level advisory lock on (account, chunk), held on a connection of its own while the
   * task runs: every instance on this database waits for it. The key is 64 bits of a hash of the
   * pair; a collision only makes two unrelated chunks wait for each other.
   */
  async withChunkLock<T>(accountId: AccountId, id: ChunkId, task: () => Promise<T>): Promise<T> {
    return (await this.withAdvisoryLock(`chunk:${accountId}/${id}`, true, task)) as T;
  }

  /** A job (garbage collection) that one instance runs at a time: the others skip it. */
  runAlone<T>(name: string, task: () => Promise<T>): Promise<T | undefined> {
    return this.withAdvisoryLock(`job:${name}`, false, task);
  }

  /** Waits for the lock (`wait`) or gives up at once: undefined when it was held elsewhere. */
  private async withAdvisoryLock<T>(name: string, wait: boolean, task: () => Promise<T>): Promise<T | undefined> {
    await this.ready;
    const key = createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
    const client = await this.lockPool.connect();
    let healthy = true;
    try {
      if (wait) await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
      else if (!(await client.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [key])).rows[0]?.ok) return undefined;
      try {
        return await task();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => void (healthy = false));
      }
    } finally {
      // A connection whose unlock failed may still hold the lock: it is closed, not reused.
      client.release(!healthy);
    }
  }

  async close() {
    if (this.closed) return;
    this.closed = true;
    await this.ready.catch(() => undefined);
    await this.pool.end();
    await this.lockPool.end();
  }
}
