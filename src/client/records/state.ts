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
import { recordSetOf, snapshotList } from '../browse.ts';
import type { KuraDb } from '../db/database.ts';
import type { ChunkStaging } from '../staging/ports.ts';
import { openedRecordSet, rememberOpened } from './opened.ts';

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


export async function loadEntries(ctx: RecordsContext, kind: RecordKind): Promise<LoadedEntries> {
  const sets: (readonly RecordEntry[])[] = [];
  const head = (await ctx.db.settings.get(headKey(kind)))?.value as RecordsHead | undefined;
  if (head) sets.push((await openHead(ctx, head)).records);
  const list = await snapshotList(ctx.api, ctx.db, ctx.keys);
  let offline = list.offline;
  for (const snapshots of byDeviceNewestFirst(list.snapshots)) {
    for (const s of snapshots) {
      const set = await recordSetOf(ctx.api, ctx.keys, s, ctx.db).catch((e: unknown) => {
        if (!isKuraError(e, 'network-unavailable')) throw e;
        offline = true; // never fetched here, and the server is out of reach
        return undefined;
      });
      if (set?.kind === kind) {
        if (s.id !== head?.snapshotId) sets.push(set.records); // this device's head, once it is on the server
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

/**
 * This device's newest set of a kind, opened once: it is sealed to its snapshot id, so it is the
 * very set that snapshot holds and shares its cache entry. (Opening 10,000 calls' versions, by
 * decrypting and checking them, is most of what planning a re-import costs.)
 */
async function openHead(ctx: RecordsContext, head: RecordsHead): Promise<RecordSet> {
  const known = openedRecordSet(ctx.db, head.snapshotId);
  if (known) return known;
  const set = await openRecordSet(ctx.keys.records, head.sealed, head.snapshotId);
  rememberOpened(ctx.db, set);
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
