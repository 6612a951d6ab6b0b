/**
 * What a source's row remembers of its runs, always sealed like a manifest so that no file name
 * rests on the device in the clear: the last committed run (to skip unchanged files), and the
 * checkpoint of a run still going or cut short (to take it up without reading again).
 */
import type { AccountKeys } from '../../core/crypto/subkeys.ts';
import { newSnapshotId, type ChunkId } from '../../core/ids.ts';
import { openSnapshot, sealSnapshot } from '../../core/manifest/seal.ts';
import { referencedChunks, type FileEntry, type Snapshot } from '../../core/manifest/snapshot.ts';
import type { KuraDb } from '../db/database.ts';
import type { BackupRunOptions } from './run.ts';

/** The source's name as its checkpoint or last run sealed it, for taking up an interrupted run. */
export async function sealedSourceName(db: KuraDb, keys: Pick<AccountKeys, 'manifest'>, sourceId: string): Promise<string | undefined> {
  const row = await db.sources.get(sourceId);
  const sealed = row?.checkpoint ?? row?.last;
  if (!sealed) return undefined;
  return (await openSnapshot(keys.manifest, sealed.sealed, { id: sealed.snapshotId }).catch(() => undefined))?.source;
}

/** The files an interrupted earlier run finished, by path (empty when there is no checkpoint). */
export async function openCheckpoint(options: BackupRunOptions): Promise<Map<string, FileEntry>> {
  const row = await options.db.sources.get(options.source.id);
  if (!row?.checkpoint) return new Map();
  try {
    const partial = await openSnapshot(options.keys.manifest, row.checkpoint.sealed, { id: row.checkpoint.snapshotId });
    return new Map(partial.entries.map((e) => [e.path, e]));
  } catch {
    return new Map(); // unreadable (another account's keys, a format change): read the files again
  }
}

/** Seals the entries finished so far into the source's checkpoint, keeping its last run. */
export async function saveCheckpoint(options: BackupRunOptions, entries: readonly FileEntry[], createdAt: number): Promise<void> {
  const { db } = options;
  // Never sent, never a device's newest: its counter means nothing (the schema wants one ≥ 1).
  const partial = runSnapshot(options, [...entries].sort((a, b) => (a.path < b.path ? -1 : 1)), 1, createdAt);
  const sealed = await sealSnapshot(options.keys.manifest, partial);
  await db.transaction('rw', db.sources, async () => {
    const row = await db.sources.get(options.source.id);
    await db.sources.put({ ...(row ?? { id: options.source.id, kind: options.sourceKind ?? 'folder' }), checkpoint: { snapshotId: partial.id, sealed } });
  });
}

export async function clearCheckpoint(options: BackupRunOptions): Promise<void> {
  const { db } = options;
  await db.transaction('rw', db.sources, async () => {
    const row = await db.sources.get(options.source.id);
    if (row?.checkpoint) {
      const { checkpoint: _dropped, ...rest } = row;
      await db.sources.put(rest);
    }
  });
}

/** The last run of this source, decrypted: its entries by path and the chunks it referenced. */
export async function lastRun(options: BackupRunOptions): Promise<{ entries: Map<string, FileEntry>; chunks: Set<ChunkId> }> {
  const row = await options.db.sources.get(options.source.id);
  if (!row?.last) return { entries: new Map(), chunks: new Set() };
  const snapshot = await openSnapshot(options.keys.manifest, row.last.sealed, { id: row.last.snapshotId });
  return { entries: new Map(snapshot.entries.map((e) => [e.path, e])), chunks: new Set(referencedChunks(snapshot)) };
}

export function runSnapshot(options: BackupRunOptions, entries: readonly FileEntry[], counter: number, createdAt: number): Snapshot {
  return { format: 'kura-snapshot', v: 1, id: newSnapshotId(), kind: 'files', deviceId: options.deviceId, counter, createdAt, source: options.sourceName, entries };
}
