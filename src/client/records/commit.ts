/**
 * Writing a change to a kind of records: the new bodies packed into batches (ordinary chunks,
 * sealed and staged like file chunks), the new versions appended, the whole set sealed as a
 * `records` snapshot and put in the outbox, in one transaction with the device's counter and its
 * newest set (DESIGN.md section 5: bytes before metadata, so a crash leaves nothing dangling).
 *
 * Callers serialize commits with file backups (the counter is shared).
 */
import { utf8, type Bytes } from '../../core/bytes.ts';
import { sealChunk } from '../../core/crypto/chunk.ts';
import { newSnapshotId, type ChunkId, type SnapshotId } from '../../core/ids.ts';
import { RECORD_SET_FORMAT, RECORD_SET_VERSION, referencedBatches, sealRecordSet, type RecordEntry, type RecordSet } from '../../core/manifest/record-set.ts';
import type { AnyRecord, RecordKind } from '../../core/records/kinds.ts';
import { fnv1a64 } from '../../core/records/hash.ts';
import { appendVersions, canonicalJson, type NewVersion } from '../../core/records/set.ts';
import { COUNTER_KEY } from '../backup/run.ts';
import { addStagedRows, stageNewChunks } from '../sync/outbox.ts';
import { rememberOpened } from './opened.ts';
import { headKey, type RecordsContext, type RecordsHead } from './state.ts';

/** Bodies are packed into batches of about this many bytes (under 1 MiB: WebCrypto's sweet spot). */
export const BATCH_TARGET_BYTES = 768 * 1024;
/** One record's body may not exceed this (the server's largest chunk is 4 MiB). */
export const MAX_BODY_BYTES = 3.5 * 1024 * 1024;

export interface RecordWrite {
  readonly key: string;
  readonly record: AnyRecord;
}

interface Batch {
  readonly id: ChunkId;
  readonly envelope: Bytes;
}

export async function commitRecords(
  ctx: RecordsContext,
  kind: RecordKind,
  base: readonly RecordEntry[],
  writes: readonly RecordWrite[],
  other: readonly NewVersion[],
  now: number,
): Promise<SnapshotId | undefined> {
  if (writes.length === 0 && other.length === 0) return undefined;
  const { db, staging, keys, deviceId } = ctx;
  const bodies = writes.map((w) => canonicalJson(w.record));
  const batches: Batch[] = [];
  const changes: NewVersion[] = [...other];
  for (const group of pack(bodies)) {
    const { id, envelope } = await sealChunk(keys, utf8(`[${group.map((i) => bodies[i]).join(',')}]`));
    batches.push({ id, envelope });
    group.forEach((i, index) => changes.push({ key: writes[i]!.key, hash: fnv1a64(bodies[i]!), body: { batch: id, index } }));
  }
  const records = appendVersions(base, changes, now, deviceId);
  // A batch already staged (the same records committed again before it was uploaded) keeps its bytes.
  const chunks = batches.map((b) => ({ id: b.id, parts: [b.envelope] }));
  const digests = await stageNewChunks(db, staging, chunks);
  // Sealed before the transaction (IndexedDB ends a transaction that waits on WebCrypto); the
  // counter is checked again inside it, and a run that took the number in between means sealing again.
  for (;;) {
    const counter = (((await db.settings.get(COUNTER_KEY))?.value as number | undefined) ?? 0) + 1;
    const set: RecordSet = { format: RECORD_SET_FORMAT, v: RECORD_SET_VERSION, id: newSnapshotId(), kind, deviceId, counter, createdAt: now, records };
    const sealed = await sealRecordSet(keys.records, set);
    const done = await db.transaction('rw', [db.staged, db.outbox, db.settings, db.recordBatches], async () => {
      if ((((await db.settings.get(COUNTER_KEY))?.value as number | undefined) ?? 0) + 1 !== counter) return false;
      await addStagedRows(db, chunks, digests, now);
      for (const batch of batches) if (!(await db.recordBatches.get(batch.id))) await db.recordBatches.add({ id: batch.id, envelope: batch.envelope });
      await db.outbox.add({ snapshotId: set.id, kind: 'records', deviceId, counter, refs: referencedBatches(set), sealed, createdAt: now });
      await db.settings.put({ key: COUNTER_KEY, value: counter });
      await db.settings.put({ key: headKey(kind), value: { snapshotId: set.id, sealed } satisfies RecordsHead });
      return true;
    });
    if (done) {
      rememberOpened(db, set);
      return set.id;
    }
  }
}

/** Indexes of `bodies` grouped so each group stays near BATCH_TARGET_BYTES. */
function pack(bodies: readonly string[]): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  let size = 0;
  bodies.forEach((body, i) => {
    const bytes = body.length * 3; // UTF-8 upper bound without encoding twice
    if (current.length > 0 && size + bytes > BATCH_TARGET_BYTES) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(i);
    size += bytes;
  });
  if (current.length > 0) groups.push(current);
  return groups;
}
