/**
 * Records from rows, shared by the SQL stores: SQLite and PostgreSQL have the same tables and
 * column names (sqlite-schema.ts, postgres-schema.ts), and both drivers give bytes as Uint8Array
 * and, with the PostgreSQL type parsers, integers as numbers.
 */
import type { AccountId, DeviceId, SnapshotId } from '../../src/core/ids.ts';
import type { AccountStatus } from './privacy-ports.ts';
import type { AccessLogEntry, AccountRecord, DeviceRecord, SessionRecord, SnapshotInfo } from './ports.ts';

export type Row = Record<string, unknown>;

export function accountFromRow(row: Row | undefined): AccountRecord | undefined {
  if (!row) return undefined;
  return {
    id: row.id as AccountId,
    email: row.email as string,
    kdf: { alg: 'argon2id', m: row.kdf_m as number, t: row.kdf_t as number, p: row.kdf_p as number, salt: row.kdf_salt as Uint8Array },
    authVerifier: { salt: row.auth_salt as Uint8Array, hash: row.auth_hash as Uint8Array },
    recoveryVerifier: { salt: row.recovery_salt as Uint8Array, hash: row.recovery_hash as Uint8Array },
    wrappedMasterKey: row.wrapped_master_key as Uint8Array,
    wrappedRecoveryKey: row.wrapped_recovery_key as Uint8Array,
    status: row.status as AccountStatus,
    quotaBytes: row.quota_bytes as number,
    createdAt: row.created_at as number,
    ...(row.deletion_due_at == null
      ? {}
      : {
          deletion: {
            requestedAt: row.deletion_requested_at as number,
            dueAt: row.deletion_due_at as number,
            receiptId: row.deletion_receipt_id as string,
          },
        }),
  };
}

export function deviceFromRow(r: Row): DeviceRecord {
  return { id: r.id as DeviceId, name: r.name as string, model: r.model as string, createdAt: r.created_at as number, lastSeenAt: r.last_seen_at as number };
}

export function sessionFromRow(r: Row | undefined): SessionRecord | undefined {
  return (
    r && {
      tokenHash: r.token_hash as Uint8Array,
      accountId: r.account_id as AccountId,
      deviceId: r.device_id as DeviceId,
      createdAt: r.created_at as number,
      expiresAt: r.expires_at as number,
    }
  );
}

export function snapshotInfoFromRow(r: Row): SnapshotInfo {
  return {
    id: r.id as SnapshotId,
    kind: r.kind as 'files' | 'records',
    deviceId: r.device_id as DeviceId,
    counter: r.counter as number,
    createdAt: r.created_at as number,
    bytes: r.bytes as number,
    chunkCount: r.chunk_count as number,
  };
}

export function accessLogFromRow(r: Row): AccessLogEntry {
  return {
    time: r.time as number,
    ip: r.ip as string,
    accountId: r.account_id as AccountId | null,
    deviceId: r.device_id as DeviceId | null,
    route: r.route as string,
    status: r.status as number,
  };
}
