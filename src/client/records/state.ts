/**
 * Reading the account's records of one kind on this device: the record sets of every device,
 * merged (src/core/records/set.ts), and the bodies of the versions asked for, decrypted from their
 * batches.
 *
 * Which sets: this device's own newest set (kept in settings as sealed, so an import made offline
 * is there at once) and, per device, the newest `records` snapshot of this kind the account lists
 * (the server cannot tell kinds apart: each is opened here, newest first, until one of the kind is
 * found). A device's newest set already holds everything that device merged, history included.
 *
 * Offline, the kept snapshot list and the kept sealed sets and batches answer; a set or batch never
 * fetched on this device is then left out and the result says `offline`.
 */
import { fromUtf8 } from '../../core/bytes.ts';
import { openChunk } from '../../core/crypto/chunk.ts';
import type { AccountKeys } from '../../core/crypto/subkeys.ts';
import { isKuraError, KuraError } from '../../core/errors.ts';
import type { ChunkId, DeviceId, SnapshotId } from '../../core/ids.ts';
import { openRecordSet, type BodyRef, type RecordEntry, type RecordSet } from '../../core/manifest/record-set.ts';
import type { RecordKind, RecordOfKind } from '../../core/records/kinds.ts';
import { mergeEntries } from '../../core/records/set.ts';
import type { SnapshotSummary } from '../../core/protocol.ts';
import type { ApiClient } from '../api/client.ts';
import { sealedSnapshot, snapshotList } from '../browse.ts';
import type { KuraDb } from '../db/database.ts';
import type { ChunkStaging } from '../staging/ports.ts';

export interface RecordsContext {
  readonly db: KuraDb;
  readonly staging: ChunkStaging;
  readonly api: ApiClient;
  readonly keys: AccountKeys;
  readonly deviceId: DeviceId;
}

/** This device's newest set of a kind, sealed as it was committed. */
export const headKey = (kind: RecordKind) => `records-head:${kind}`;
export interface RecordsHead {
  readonly snapshotId: SnapshotId;
  readonly sealed: Uint8Array<ArrayBuffer>;
}

export interface LoadedEntries {
  readonly entries: Map<string, RecordEntry>;
  readonly offline: boolean;
}

/** Opened sets by snapshot id (immutable, so kept for the worker's life). */
const opened = new Map<SnapshotId, RecordSet>();

export async function loadEntries(ctx: RecordsContext, kind: RecordKind): Promise<LoadedEntries> {
  const sets: (readonly RecordEntry[])[] = [];
  const head = (await ctx.db.settings.get(headKey(kind)))?.value as RecordsHead | undefined;
  if (head) sets.push((await openRecordSet(ctx.keys.records, head.sealed, head.snapshotId)).records);
  const list = await snapshotList(ctx.api, ctx.db, ctx.keys);
  let offline = list.offline;
  for (const snapshots of byDeviceNewestFirst(list.snapshots)) {
    for (const s of snapshots) {
      const set = await openListed(ctx, s).catch((e: unknown) => {
        if (!isKuraError(e, 'network-unavailable')) throw e;
        offline = true; // never fetched here, and the server is out of reach
        return undefined;
      });
      if (set?.kind === kind) {
        sets.push(set.records);
        break;
      }
    }
  }
  return { entries: new Map(mergeEntries(sets).map((e) => [e.key, e])), offline };
}

function byDeviceNewestFirst(snapshots: readonly SnapshotSummary[]): SnapshotSummary[][] {
  const groups = new Map<DeviceId, SnapshotSummary[]>();
  for (const s of snapshots) if (s.kind === 'records') groups.set(s.deviceId, [...(groups.get(s.deviceId) ?? []), s]);
  return [...groups.values()].map((list) => list.sort((a, b) => b.counter - a.counter));
}

async function openListed(ctx: RecordsContext, s: SnapshotSummary): Promise<RecordSet> {
  const known = opened.get(s.id);
  if (known) return known;
  const { stored, sealed } = await sealedSnapshot(ctx.api, s.id, ctx.db);
  const set = await openRecordSet(ctx.keys.records, sealed, s.id);
  if (set.deviceId !== stored.deviceId || set.counter !== stored.counter) {
    throw new KuraError('records-invalid', { reason: 'the listing disagrees with the sealed record set', id: s.id });
  }
  opened.set(s.id, set);
  return set;
}

/**
 * Record bodies from their batches: decrypted once per batch and kept for the worker's life (in
 * worker memory only: what rests on the device is the sealed batch).
 */
export class BatchReader {
  private readonly batches = new Map<ChunkId, Promise<unknown[]>>();

  constructor(private readonly ctx: RecordsContext) {}

  async body<K extends RecordKind>(ref: BodyRef): Promise<RecordOfKind[K]> {
    let batch = this.batches.get(ref.batch);
    if (!batch) {
      batch = this.read(ref.batch);
      this.batches.set(ref.batch, batch);
      batch.catch(() => this.batches.delete(ref.batch)); // a failed read is tried again next time
    }
    const body = (await batch)[ref.index];
    if (body === undefined || body === null || typeof body !== 'object') throw new KuraError('records-invalid', { reason: 'no body at that index', batch: ref.batch, index: ref.index });
    return body as RecordOfKind[K];
  }

  private async read(id: ChunkId): Promise<unknown[]> {
    const { db, staging, api, keys } = this.ctx;
    let envelope = (await db.recordBatches.get(id))?.envelope ?? (await staging.get(id));
    if (!envelope) {
      envelope = await api.getChunk(id);
      await db.recordBatches.put({ id, envelope });
    }
    const plain = await openChunk(keys, id, envelope);
    let bodies: unknown;
    try {
      bodies = JSON.parse(fromUtf8(plain));
    } catch (e) {
      throw new KuraError('records-invalid', { reason: 'batch is not JSON', batch: id }, e);
    }
    if (!Array.isArray(bodies)) throw new KuraError('records-invalid', { reason: 'batch is not a list', batch: id });
    return bodies;
  }
}
