/**
 * The server's storage ports (restic's shape: nouns and interfaces here, one folder per
 * implementation, an in-memory twin, one contract suite for all: test/server/storage/).
 *
 * - MetaStore: accounts, devices, sessions, the chunk index, snapshots with their chunk references,
 *   the access log and rate-limit counters. Every method is atomic; ids are always scoped by
 *   account, so no method can reach another account's rows.
 * - ObjectStore: the chunk envelopes, content-addressed by (account, chunk id). `put` resolves only
 *   once the bytes are durable.
 *
 * Times are milliseconds since the epoch, passed in by the caller (so tests control the clock).
 * Methods are async even where SQLite answers synchronously: a networked database (PostgreSQL) must
 * fit the same port.
 */
import type { Bytes } from '../../src/core/bytes.ts';
import type { AccountId, ChunkId, DeviceId, SnapshotId } from '../../src/core/ids.ts';
import type { AccountStatus, DeletionState, PrivacyStore } from './privacy-ports.ts';

export interface KdfRecord {
  readonly alg: 'argon2id';
  readonly m: number;
  readonly t: number;
  readonly p: number;
  readonly salt: Uint8Array;
}

/** A salted hash of a proof key (authKey or recoveryAuthKey): the raw key is never stored. */
export interface Verifier {
  readonly salt: Uint8Array;
  readonly hash: Uint8Array;
}

export interface AccountRecord {
  readonly id: AccountId;
  readonly email: string;
  readonly kdf: KdfRecord;
  readonly authVerifier: Verifier;
  readonly recoveryVerifier: Verifier;
  readonly wrappedMasterKey: Uint8Array;
  readonly wrappedRecoveryKey: Uint8Array;
  readonly status: AccountStatus;
  readonly quotaBytes: number;
  readonly createdAt: number;
  /** Set while deleted-pending. */
  readonly deletion?: DeletionState;
}

export interface DeviceRecord {
  readonly id: DeviceId;
  readonly name: string;
  readonly model: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
}

export interface SessionRecord {
  /** SHA-256 of the bearer token: a stolen database cannot be replayed as sessions. */
  readonly tokenHash: Uint8Array;
  readonly accountId: AccountId;
  readonly deviceId: DeviceId;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface ChunkRecord {
  readonly size: number;
  readonly sha256: Uint8Array;
  readonly createdAt: number;
  /** Set when a read found the stored bytes no longer match sha256. */
  readonly corrupt: boolean;
}

export interface SnapshotRecord {
  readonly id: SnapshotId;
  readonly kind: 'files' | 'records';
  readonly deviceId: DeviceId;
  readonly counter: number;
  readonly createdAt: number;
  readonly sealed: Uint8Array;
}

export interface SnapshotInfo extends Omit<SnapshotRecord, 'sealed'> {
  readonly bytes: number;
  readonly chunkCount: number;
}

export type CommitResult =
  | { readonly kind: 'ok' }
  | { readonly kind: 'missing'; readonly missing: ChunkId[] }
  | { readonly kind: 'exists' }
  | { readonly kind: 'stale-counter' };

export interface AccessLogEntry {
  readonly time: number;
  readonly ip: string;
  readonly accountId: AccountId | null;
  readonly deviceId: DeviceId | null;
  /** The route's pattern ("PUT /chunks/:id"), never its concrete path or query. */
  readonly route: string;
  readonly status: number;
}

export interface GcCandidate {
  readonly accountId: AccountId;
  readonly id: ChunkId;
  readonly size: number;
}

export interface MetaStore {
  /** Consent, rights, inquiries, statistics, receipts: privacy-ports.ts. */
  readonly privacy: PrivacyStore;

  createAccount(account: AccountRecord, device: DeviceRecord, session: SessionRecord): Promise<'ok' | 'email-taken' | 'account-exists'>;
  getAccount(id: AccountId): Promise<AccountRecord | undefined>;
  getAccountByEmail(email: string): Promise<AccountRecord | undefined>;
  updateEmail(id: AccountId, email: string): Promise<'ok' | 'email-taken' | 'not-found'>;

  /** Adds the device, or refreshes its name, model and lastSeenAt (a device signing in again). */
  upsertDevice(accountId: AccountId, device: DeviceRecord): Promise<void>;
  listDevices(accountId: AccountId): Promise<DeviceRecord[]>;
  renameDevice(accountId: AccountId, id: DeviceId, name: string): Promise<boolean>;
  touchDevice(accountId: AccountId, id: DeviceId, now: number): Promise<void>;
  /** Removes the device and ends its sessions at once. */
  revokeDevice(accountId: AccountId, id: DeviceId): Promise<boolean>;

  createSession(session: SessionRecord): Promise<void>;
  getSession(tokenHash: Uint8Array): Promise<SessionRecord | undefined>;
  deleteSession(tokenHash: Uint8Array): Promise<void>;
  deleteExpiredSessions(now: number): Promise<number>;

  getChunk(accountId: AccountId, id: ChunkId): Promise<ChunkRecord | undefined>;
  /** Records a stored chunk (or clears its corrupt mark after a re-upload). */
  putChunk(accountId: AccountId, id: ChunkId, record: ChunkRecord): Promise<void>;
  markCorrupt(accountId: AccountId, id: ChunkId): Promise<void>;
  /** The ids not stored, or stored but corrupt, in the order given. */
  missingChunks(accountId: AccountId, ids: readonly ChunkId[]): Promise<ChunkId[]>;
  /** Bytes held for the account: chunk envelopes and sealed manifests. */
  usageBytes(accountId: AccountId): Promise<number>;

  /** Atomically: refuses a known id, a counter not above the device's last, or absent refs. */
  commitSnapshot(accountId: AccountId, snapshot: SnapshotRecord, refs: readonly ChunkId[]): Promise<CommitResult>;
  listSnapshots(accountId: AccountId, filter: { kind?: 'files' | 'records'; deviceId?: DeviceId }): Promise<SnapshotInfo[]>;
  getSnapshot(accountId: AccountId, id: SnapshotId): Promise<(SnapshotInfo & { sealed: Uint8Array }) | undefined>;
  /** Deletes the snapshot; chunks it alone referenced become unreferenced as of `now`. */
  deleteSnapshot(accountId: AccountId, id: SnapshotId, now: number): Promise<boolean>;

  /**
   * Runs `task` while holding the chunk's lock, shared by every server instance on this store: a
   * chunk's upload (existence check, object write, row) and its collection never interleave, in
   * one process or across several. Tasks on other chunks are not held up.
   */
  withChunkLock<T>(accountId: AccountId, id: ChunkId, task: () => Promise<T>): Promise<T>;
  /**
   * Runs `task` unless a task of this name is already running anywhere on this store (another
   * instance's garbage collection, say): undefined then, without waiting.
   */
  runAlone<T>(name: string, task: () => Promise<T>): Promise<T | undefined>;

  /**
   * Chunks referenced by no snapshot, created and released before `before`, of active accounts
   * only: a suspended or deleted-pending account gets no processing, and its chunks wait.
   */
  gcCandidates(before: number, limit: number): Promise<GcCandidate[]>;
  /** Deletes the chunk's row if it is still a candidate; true when it did. */
  deleteIfUnreferenced(accountId: AccountId, id: ChunkId, before: number): Promise<boolean>;

  appendAccessLog(entry: AccessLogEntry): Promise<void>;
  listAccessLog(accountId: AccountId, limit: number): Promise<AccessLogEntry[]>;

  /** Counts a hit on `key` in the fixed window containing `now`; returns the window's count. */
  hitRateLimit(key: string, windowMs: number, now: number): Promise<number>;
  /** Forgets counters whose window ended before `now`. */
  pruneRateLimits(now: number): Promise<number>;

  /** A consistency check of the store itself (SQLite's integrity_check); 'ok' when healthy. */
  integrityCheck(): Promise<string>;
  close(): Promise<void>;
}

export interface ObjectStore {
  /** Stores the bytes durably before resolving; replacing an existing object is atomic. */
  put(accountId: AccountId, id: ChunkId, bytes: Uint8Array): Promise<void>;
  /** The whole object, or undefined when absent. */
  get(accountId: AccountId, id: ChunkId): Promise<Bytes | undefined>;
  delete(accountId: AccountId, id: ChunkId): Promise<void>;
  /**
   * Removes every object of the account, rows or not (an orphan of an interrupted upload too), and
   * whatever names the account (its directory); the account purge. Returns how many objects.
   */
  deleteAccount(accountId: AccountId): Promise<number>;
  /** Removes leftovers of interrupted writes; called once on start. Returns how many. */
  sweep(): Promise<number>;
}
