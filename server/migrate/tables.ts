/**
 * The embedded store's tables as the migration copies them: every table of sqlite-schema.ts, in
 * foreign-key order, with the few differences from postgres-schema.ts (a renamed column, a 0/1
 * integer that is a BOOLEAN there, an identity column that must keep its values).
 *
 * The copy is plain SQL rather than MetaStore calls: the port has no "insert this row as it is"
 * (createAccount also makes a device and a session, commitSnapshot checks counters, the access
 * log's and rate limits' rows cannot be written with their ids and windows), and the two schemas
 * have the same tables and columns by design (rows.ts reads both).
 */
import { MIGRATIONS as SQLITE_MIGRATIONS } from '../storage/sqlite-schema.ts';

export interface TableSpec {
  readonly name: string;
  /** Primary-key columns (their SQLite names are the same in PostgreSQL). */
  readonly pk: readonly string[];
  /** SQLite column → PostgreSQL column, where they differ. */
  readonly rename?: Readonly<Record<string, string>>;
  /** Columns stored 0/1 in SQLite and BOOLEAN in PostgreSQL. */
  readonly booleans?: readonly string[];
  /** An identity column (GENERATED ALWAYS): inserted with OVERRIDING SYSTEM VALUE, its sequence moved past the copied ids. */
  readonly identity?: string;
}

export const TABLES: readonly TableSpec[] = [
  { name: 'accounts', pk: ['id'] },
  { name: 'devices', pk: ['account_id', 'id'] },
  { name: 'sessions', pk: ['token_hash'] },
  { name: 'chunks', pk: ['account_id', 'id'], booleans: ['corrupt'] },
  { name: 'snapshots', pk: ['account_id', 'id'] },
  { name: 'snapshot_refs', pk: ['account_id', 'snapshot_id', 'chunk_id'] },
  { name: 'access_log', pk: ['id'], identity: 'id' },
  { name: 'rate_limits', pk: ['key'], rename: { window: 'window_index' } },
  // Schema version 2: privacy (issue 7).
  { name: 'consents', pk: ['account_id', 'seq'] },
  { name: 'email_changes', pk: ['account_id'] },
  { name: 'outbox', pk: ['id'], identity: 'id' },
  { name: 'inquiries', pk: ['id'] },
  { name: 'inquiry_messages', pk: ['inquiry_id', 'seq'] },
  { name: 'inquiry_attachments', pk: ['inquiry_id', 'seq'] },
  { name: 'external_links', pk: ['account_id', 'service_id'] },
  { name: 'stats_markers', pk: ['marker'] },
  { name: 'stats_counters', pk: ['day', 'name'] },
  { name: 'deletion_receipts', pk: ['id'] },
];

/** The SQLite schema version this migration knows (PRAGMA user_version of a current data dir). */
export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.length;

export const pgColumn = (table: TableSpec, column: string): string => table.rename?.[column] ?? column;

/** A row read from SQLite, as the values PostgreSQL expects for it (same column order). */
export function toPg(table: TableSpec, columns: readonly string[], row: Record<string, unknown>): unknown[] {
  return columns.map((c) => (table.booleans?.includes(c) ? row[c] === 1 || row[c] === true : row[c]));
}
