/**
 * The sources as the dashboard lists them: every folder or file set kept on this device, with its
 * permission, its name and what its last run backed up. The name and the figures come from the
 * sealed last run (opened here, in the worker); before a first run, from the handle itself.
 * "Checked" is when a run last finished, even one that found nothing changed (no new snapshot).
 */
import type { AccountKeys } from '../../core/crypto/subkeys.ts';
import { openSnapshot } from '../../core/manifest/seal.ts';
import type { KuraDb } from '../db/database.ts';
import { forgetSource, keptSources, type PickedSource, type StoredSource } from './handles.ts';

export interface SourceSummary {
  readonly id: string;
  readonly kind: 'folder' | 'files';
  readonly name: string;
  readonly permission: PermissionState;
  readonly lastBackup?: { readonly at: number; readonly files: number; readonly bytes: number };
}

const CHECKED = 'source-checked:';

export async function markChecked(db: KuraDb, sourceId: string, at = Date.now()): Promise<void> {
  await db.settings.put({ key: CHECKED + sourceId, value: at });
}

export async function sourceSummaries(db: KuraDb, keys: Pick<AccountKeys, 'manifest'>, kept?: StoredSource[]): Promise<SourceSummary[]> {
  const sources = kept ?? (await keptSources());
  const summaries = await Promise.all(sources.map((source) => summarize(db, keys, source)));
  return summaries.sort((a, b) => a.name.localeCompare(b.name));
}

async function summarize(db: KuraDb, keys: Pick<AccountKeys, 'manifest'>, source: StoredSource): Promise<SourceSummary> {
  const base = { id: source.sourceId, kind: source.kind, permission: source.permission, name: handleName(source) };
  const row = await db.sources.get(source.sourceId);
  if (!row?.last) return base;
  const last = await openSnapshot(keys.manifest, row.last.sealed, { id: row.last.snapshotId }).catch(() => undefined);
  if (!last) return base; // sealed for another account's keys: shown as never backed up
  const checked = (await db.settings.get(CHECKED + source.sourceId))?.value;
  return {
    ...base,
    name: last.source,
    lastBackup: {
      at: Math.max(last.createdAt, typeof checked === 'number' ? checked : 0),
      files: last.entries.length,
      bytes: last.entries.reduce((sum, e) => sum + e.size, 0),
    },
  };
}

/** A folder's own name; a file set's first file (the rest are counted by the run). */
export function handleName(source: PickedSource): string {
  return source.kind === 'folder' ? source.handle.name : (source.handles[0]?.name ?? '');
}

/** Stops backing up a source on this device: its handle, its run state. Its snapshots stay. */
export async function removeSource(db: KuraDb, sourceId: string, forget: (id: string) => Promise<void> = forgetSource): Promise<void> {
  await forget(sourceId);
  await db.transaction('rw', db.sources, db.settings, async () => {
    await db.sources.delete(sourceId);
    await db.settings.delete(CHECKED + sourceId);
  });
}
