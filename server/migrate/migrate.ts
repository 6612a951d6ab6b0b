/**
 * Moving an embedded deployment (a data dir: kura.sqlite and objects/) to PostgreSQL and S3.
 *
 * - Consistent: SQLite is opened read-only and read inside one read transaction (WAL), so a
 *   running server's half-written state is never seen; rows and the list of objects to copy come
 *   from that one snapshot. Objects a running server writes later belong to rows not copied.
 * - Resumable and repeatable: rows are upserted on their primary keys (the source wins) and target
 *   rows the source no longer has are removed (a session signed out between two runs must not
 *   stay valid); an object already in the bucket whose SHA-256 matches the recorded one is not
 *   sent again. A run stopped anywhere, even by kill -9, is finished by running it again.
 * - Verified: every object is read back from the bucket and hashed against the chunk row's
 *   SHA-256 (the digest the server recorded at upload and checks on every read), and every
 *   table's row count is compared with the snapshot's. `verifyOnly` does the checks and writes
 *   nothing.
 * - Refuses a target holding another deployment's data: an account there that the source lacks,
 *   or that differs in what never changes (creation time, recovery salt).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { AccountId, ChunkId } from '../../src/core/ids.ts';
import { FsObjectStore } from '../storage/fs-objects.ts';
import { PostgresMetaStore } from '../storage/postgres-meta.ts';
import { S3ObjectStore, type S3ObjectStoreOptions } from '../storage/s3-objects.ts';
import { pgColumn, SQLITE_SCHEMA_VERSION, TABLES, toPg, type TableSpec } from './tables.ts';

/** A failure to explain to the operator in one sentence (no stack trace). */
export class MigrateError extends Error {}

export interface MigrateOptions {
  readonly dataDir: string;
  readonly databaseUrl: string;
  readonly s3: S3ObjectStoreOptions;
  /** Check only: compare, write nothing. */
  readonly verifyOnly?: boolean;
  /** Objects handled at once. */
  readonly concurrency?: number;
  /** Called after each object is copied or found in place (tests interrupt a run here). */
  readonly onObject?: (done: number) => void | Promise<void>;
  readonly log?: (line: string) => void;
}

export interface TableReport {
  readonly name: string;
  readonly source: number;
  readonly target: number;
  readonly inserted: number;
  readonly updated: number;
  readonly removed: number;
}

export interface MigrateReport {
  readonly tables: TableReport[];
  readonly objects: { total: number; copied: number; alreadyPresent: number; verified: number; bytes: number; copiedBytes: number };
  /** Every mismatch found; empty when the target is a complete, verified copy. */
  readonly problems: string[];
  /** Source chunks the server itself already marked corrupt (copied as they are, not failures). */
  readonly corruptInSource: number;
  readonly seconds: number;
}

const BATCH = 500;
const sha256 = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();
const INT8_OID = 20;
const int8 = { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser };
type Row = Record<string, unknown>;

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

function openSource(dataDir: string): Database.Database {
  const file = join(dataDir, 'kura.sqlite');
  if (!existsSync(dataDir)) throw new MigrateError(`${dataDir} does not exist.`);
  if (!existsSync(file)) throw new MigrateError(`${dataDir} is not a Kura data dir: it has no kura.sqlite.`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    const tables = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));
    if (version === 0 || TABLES.some((t) => !tables.has(t.name))) throw new MigrateError(`${file} is not a Kura database (its tables are not Kura's).`);
    if (version !== SQLITE_SCHEMA_VERSION) {
      throw new MigrateError(`${file} has schema version ${version}; this migration knows version ${SQLITE_SCHEMA_VERSION}. Use the Kura version that wrote it.`);
    }
    const unknown = [...tables].filter((t) => !t.startsWith('sqlite_') && !TABLES.some((s) => s.name === t));
    if (unknown.length > 0) throw new MigrateError(`${file} has tables this migration does not know: ${unknown.join(', ')}.`);
    return db;
  } catch (e) {
    if (e instanceof MigrateError) throw e;
    throw new MigrateError(`${file} cannot be read as a Kura database: ${(e as Error).message}`);
  }
}

async function openTarget(url: string): Promise<pg.Pool> {
  try {
    // Opening the store applies its migrations: the target gets exactly the server's schema.
    await (await PostgresMetaStore.open(url)).close();
  } catch (e) {
    throw new MigrateError(`Cannot use PostgreSQL at ${redact(url)}: ${(e as Error).message || String(e)}`);
  }
  const pool = new pg.Pool({ connectionString: url, max: 4, types: int8 });
  pool.on('error', () => undefined);
  return pool;
}

async function probeBucket(store: S3ObjectStore, s3: S3ObjectStoreOptions): Promise<void> {
  try {
    await store.get('kura-migrate-probe' as AccountId, 'absent' as ChunkId); // NoSuchKey reads as absent: reachable
  } catch (e) {
    const name = (e as { name?: string }).name;
    throw new MigrateError(`Cannot use S3 bucket "${s3.bucket}" at ${s3.endpoint}: ${name && name !== 'Error' ? `${name}: ` : ''}${(e as Error).message}`);
  }
}

/** Refuses a target that holds another deployment's accounts. */
async function checkSameDeployment(src: Database.Database, pool: pg.Pool): Promise<void> {
  const lookup = src.prepare('SELECT created_at, recovery_salt FROM accounts WHERE id = ?');
  let after = '';
  for (;;) {
    const { rows } = await pool.query<Row>('SELECT id, created_at, recovery_salt FROM accounts WHERE id > $1 ORDER BY id LIMIT 1000', [after]);
    for (const row of rows) {
      const mine = lookup.get(row.id) as Row | undefined;
      const why = !mine
        ? `account ${String(row.id)} there is not in this data dir`
        : mine.created_at !== row.created_at || !Buffer.from(mine.recovery_salt as Uint8Array).equals(row.recovery_salt as Buffer)
          ? `account ${String(row.id)} there differs from the one here`
          : undefined;
      if (why) throw new MigrateError(`The target database already holds another deployment's data (${why}). Use an empty database, or the one an earlier run of this migration filled.`);
    }
    if (rows.length < 1000) return;
    after = rows.at(-1)!.id as string;
  }
}

/** Upserts the table's snapshot rows (source wins), then removes target rows absent from the source. */
async function copyTable(src: Database.Database, pool: pg.Pool, table: TableSpec, verifyOnly: boolean): Promise<TableReport> {
  const columns = (src.pragma(`table_info(${table.name})`) as { name: string }[]).map((c) => c.name);
  const pgCols = columns.map((c) => pgColumn(table, c));
  const rest = pgCols.filter((c) => !table.pk.includes(c));
  const conflict = rest.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${rest.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`;
  const source = (src.prepare(`SELECT COUNT(*) AS n FROM ${table.name}`).get() as { n: number }).n;
  let inserted = 0;
  let updated = 0;
  if (!verifyOnly) {
    const pkList = table.pk.join(', ');
    const page = src.prepare(
      `SELECT * FROM ${table.name} WHERE (${pkList}) > (${table.pk.map(() => '?').join(', ')}) ORDER BY ${pkList} LIMIT ${BATCH}`,
    );
    const first = src.prepare(`SELECT * FROM ${table.name} ORDER BY ${pkList} LIMIT ${BATCH}`);
    for (let rows = first.all() as Row[]; rows.length > 0; rows = rows.length < BATCH ? [] : (page.all(...table.pk.map((k) => rows.at(-1)![k])) as Row[])) {
      const values: unknown[] = [];
      const tuples = rows.map((row) => {
        const base = values.length;
        values.push(...toPg(table, columns, row));
        return `(${columns.map((_, i) => `$${base + i + 1}`).join(', ')})`;
      });
      const overriding = table.identity ? ' OVERRIDING SYSTEM VALUE' : '';
      const sql = `INSERT INTO ${table.name} (${pgCols.join(', ')})${overriding} VALUES ${tuples.join(', ')} ON CONFLICT (${pkList}) ${conflict} RETURNING (xmax = 0) AS inserted`;
      const { rows: done } = await pool.query<{ inserted: boolean }>(sql, values);
      const fresh = done.filter((r) => r.inserted).length;
      inserted += fresh;
      updated += done.length - fresh;
    }
    if (table.identity) {
      await pool.query(
        `SELECT setval(pg_get_serial_sequence('${table.name}', '${table.identity}'), GREATEST((SELECT MAX(${table.identity}) FROM ${table.name}), 1))`,
      );
    }
  }
  let target = await countPg(pool, table.name);
  let removed = 0;
  if (!verifyOnly && target > source) {
    removed = await removeAbsent(src, pool, table);
    target = await countPg(pool, table.name);
  }
  return { name: table.name, source, target, inserted, updated, removed };
}

const countPg = async (pool: pg.Pool, name: string): Promise<number> =>
  Number((await pool.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${name}`)).rows[0]!.n);

/** Deletes target rows whose primary key the source snapshot lacks (deleted since an earlier run). */
async function removeAbsent(src: Database.Database, pool: pg.Pool, table: TableSpec): Promise<number> {
  const pkList = table.pk.join(', ');
  const has = src.prepare(`SELECT 1 FROM ${table.name} WHERE ${table.pk.map((k) => `${k} = ?`).join(' AND ')}`);
  let removed = 0;
  let after: unknown[] | undefined;
  for (;;) {
    const where = after ? `WHERE (${pkList}) > (${table.pk.map((_, i) => `$${i + 1}`).join(', ')})` : '';
    const { rows } = await pool.query<Row>(`SELECT ${pkList} FROM ${table.name} ${where} ORDER BY ${pkList} LIMIT 1000`, after ?? []);
    const gone = rows.filter((r) => has.get(...table.pk.map((k) => r[k])) === undefined);
    for (const r of gone) {
      await pool.query(`DELETE FROM ${table.name} WHERE ${table.pk.map((k, i) => `${k} = $${i + 1}`).join(' AND ')}`, table.pk.map((k) => r[k]));
    }
    removed += gone.length;
    if (rows.length < 1000) return removed;
    after = table.pk.map((k) => rows.at(-1)![k]);
  }
}

interface ObjectJob {
  readonly account_id: AccountId;
  readonly id: ChunkId;
  readonly size: number;
  readonly sha256: Uint8Array;
  readonly corrupt: number;
}

async function copyObjects(src: Database.Database, dataDir: string, bucket: S3ObjectStore, options: MigrateOptions, report: MigrateReport): Promise<number> {
  const files = new FsObjectStore(dataDir);
  const o = report.objects;
  let corrupt = 0;
  const one = async (job: ObjectJob): Promise<void> => {
    const where = `${job.account_id}/${job.id}`;
    const expected = Buffer.from(job.sha256);
    const present = await bucket.get(job.account_id, job.id);
    o.bytes += job.size;
    if (present && sha256(present).equals(expected)) {
      o.alreadyPresent++;
      o.verified++;
    } else if (options.verifyOnly) {
      if (job.corrupt) corrupt++;
      else report.problems.push(`object ${where}: ${present ? 'its SHA-256 in S3 differs from the recorded one' : 'missing in S3'}`);
    } else {
      const bytes = await files.get(job.account_id, job.id);
      if (!bytes) {
        if (job.corrupt) corrupt++;
        else report.problems.push(`object ${where}: missing in the data dir (removed since the snapshot? run again)`);
        return;
      }
      await bucket.put(job.account_id, job.id, bytes);
      o.copied++;
      o.copiedBytes += bytes.length;
      const back = await bucket.get(job.account_id, job.id);
      if (!sha256(bytes).equals(expected)) {
        corrupt++; // the server already serves this one as object-corrupt; copied as it is
      } else if (back && sha256(back).equals(expected)) {
        o.verified++;
      } else {
        report.problems.push(`object ${where}: read back from S3 ${back ? 'with another SHA-256' : 'missing'} after it was written`);
      }
    }
    await options.onObject?.(o.copied + o.alreadyPresent);
  };

  const page = src.prepare(`SELECT account_id, id, size, sha256, corrupt FROM chunks WHERE (account_id, id) > (?, ?) ORDER BY account_id, id LIMIT 256`);
  let after: [string, string] = ['', ''];
  const width = options.concurrency ?? 8;
  for (;;) {
    const jobs = page.all(...after) as ObjectJob[];
    o.total += jobs.length;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(width, jobs.length) }, async () => {
        while (next < jobs.length) await one(jobs[next++]!);
      }),
    );
    if (jobs.length < 256) return corrupt;
    after = [jobs.at(-1)!.account_id, jobs.at(-1)!.id];
  }
}

export async function migrate(options: MigrateOptions): Promise<MigrateReport> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const src = openSource(options.dataDir);
  let pool: pg.Pool | undefined;
  const bucket = new S3ObjectStore(options.s3);
  try {
    pool = await openTarget(options.databaseUrl);
    await probeBucket(bucket, options.s3);
    // One read transaction: every row and every object listed below is from this one snapshot.
    src.exec('BEGIN');
    src.prepare('SELECT COUNT(*) FROM accounts').get();
    await checkSameDeployment(src, pool);
    const report = {
      tables: [] as TableReport[],
      objects: { total: 0, copied: 0, alreadyPresent: 0, verified: 0, bytes: 0, copiedBytes: 0 },
      problems: [] as string[],
      corruptInSource: 0,
      seconds: 0,
    };
    for (const table of TABLES) {
      log(`${options.verifyOnly ? 'checking' : 'copying'} table ${table.name}…`);
      const t = await copyTable(src, pool, table, options.verifyOnly ?? false);
      report.tables.push(t);
      if (t.source !== t.target) report.problems.push(`table ${t.name}: ${t.source} row(s) in the source, ${t.target} in PostgreSQL`);
    }
    log(`${options.verifyOnly ? 'checking' : 'copying'} objects…`);
    report.corruptInSource = await copyObjects(src, options.dataDir, bucket, options, report);
    src.exec('COMMIT');
    report.seconds = (performance.now() - started) / 1000;
    return report;
  } finally {
    src.close();
    bucket.destroy();
    await pool?.end();
  }
}
