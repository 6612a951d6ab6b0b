/**
 * The device's database (Dexie over IndexedDB), metadata only: chunk bytes live in the staging
 * store (OPFS in the browser), never here. Opened with strict durability so a committed
 * transaction survives a crash of the tab or the machine (DESIGN.md section 5).
 *
 * Tables (schema version 1):
 * - staged: chunk envelopes waiting in the staging store, whether the server has acknowledged each.
 * - outbox: sealed snapshot commits waiting to be sent, oldest first. A row is removed only after
 *   the server acknowledged the commit; its staged chunks are freed then.
 * - settings: small key/value state (device identity, per-device counters, sync preferences).
 * - sources (version 2): what the user backs up, each with the sealed manifest of its last run, so
 *   the next run can skip unchanged files without any plaintext file list resting on the device.
 * - snapshots (version 3): the account's snapshot list as last fetched, with the sealed manifests
 *   opened on this device, so backups can be browsed offline (ciphertext only, as on the server).
 * - outbox is sent in counter order from version 4 (a record commit may come between a backup
 *   run's start and its commit).
 * - recordBatches (version 4): the sealed batches that hold record bodies (contacts, events, calls),
 *   as fetched or made here, so records can be viewed offline; envelopes, never plaintext.
 */
import Dexie, { type DexieOptions, type EntityTable } from 'dexie';
import type { Bytes } from '../../core/bytes.ts';
import type { ChunkId, DeviceId, SnapshotId } from '../../core/ids.ts';
import type { SnapshotSummary } from '../../core/protocol.ts';

export interface StagedChunk {
  readonly id: ChunkId;
  /** Envelope size in bytes. */
  readonly size: number;
  readonly stagedAt: number;
  /** 1 once the server acknowledged the upload (a number, so it can be indexed). */
  readonly uploaded: 0 | 1;
  /** SHA-256 of the envelope (base64), taken when staged: its Content-Digest when it is sent. */
  readonly sha256?: string;
}

export interface OutboxCommit {
  readonly snapshotId: SnapshotId;
  readonly kind: 'files' | 'records';
  readonly deviceId: DeviceId;
  readonly counter: number;
  /** Every chunk the manifest references, thumbnails included. */
  readonly refs: readonly ChunkId[];
  /** The sealed manifest: ciphertext, so it may rest here. */
  readonly sealed: Bytes;
  readonly createdAt: number;
}

export interface SourceRow {
  readonly id: string;
  readonly kind: 'folder' | 'files';
  /** The last run's snapshot, sealed as it was sent: decrypted when the next run starts. */
  readonly last?: { readonly snapshotId: SnapshotId; readonly sealed: Bytes };
  /** The files an unfinished run has done so far, sealed like a manifest (see backup/run.ts). */
  readonly checkpoint?: { readonly snapshotId: SnapshotId; readonly sealed: Bytes };
}

export interface CachedSnapshot extends SnapshotSummary {
  /** The sealed manifest, once it has been fetched on this device. */
  readonly sealed?: Bytes;
}

export interface RecordBatchRow {
  readonly id: ChunkId;
  readonly envelope: Bytes;
}

export interface SettingRow {
  readonly key: string;
  readonly value: unknown;
}

export class KuraDb extends Dexie {
  staged!: EntityTable<StagedChunk, 'id'>;
  outbox!: EntityTable<OutboxCommit, 'snapshotId'>;
  settings!: EntityTable<SettingRow, 'key'>;
  sources!: EntityTable<SourceRow, 'id'>;
  snapshots!: EntityTable<CachedSnapshot, 'id'>;
  recordBatches!: EntityTable<RecordBatchRow, 'id'>;

  constructor(name = 'kura', options: DexieOptions = {}) {
    super(name, { chromeTransactionDurability: 'strict', ...options });
    this.version(1).stores({
      staged: 'id, uploaded',
      outbox: 'snapshotId, createdAt',
      settings: 'key',
    });
    this.version(2).stores({ sources: 'id' });
    this.version(3).stores({ snapshots: 'id, createdAt' });
    this.version(4).stores({ recordBatches: 'id', outbox: 'snapshotId, createdAt, counter' });
  }
}
