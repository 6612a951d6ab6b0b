/**
 * Browsing backups from any device of the account, without restoring first: the snapshots of all
 * devices, a snapshot's manifest opened and checked, its files as a folder tree, and a file's
 * verified plaintext as a stream for a viewer.
 *
 * Offline: each listing and each fetched manifest is kept in the database (ciphertext, like the
 * server's copy), so `cachedSnapshots` and `manifestOf` with the cache still answer without a
 * network; a cached manifest is opened and checked exactly like a fresh one.
 *
 * Rollback: for each device the newest (counter, id) accepted so far is kept in the database; the
 * newest snapshot the server lists for a device must not fall below it (manifest-rollback), so a
 * server cannot quietly hand back an older state of a device's backups.
 */
import { fromBase64Url, type Bytes } from '../core/bytes.ts';
import { isKuraError, KuraError } from '../core/errors.ts';
import type { DeviceId } from '../core/ids.ts';
import { openRecordSet, type RecordSet } from '../core/manifest/record-set.ts';
import { openSnapshot, type CounterMark } from '../core/manifest/seal.ts';
import type { FileEntry, Snapshot } from '../core/manifest/snapshot.ts';
import { openFile, type RestoreKeys } from '../core/pipeline/restore.ts';
import type { SnapshotSummary } from '../core/protocol.ts';
import type { AccountKeys } from '../core/crypto/subkeys.ts';
import type { ApiClient } from './api/client.ts';
import type { CachedSnapshot, KuraDb } from './db/database.ts';
import { openedRecordSet, rememberOpened } from './records/opened.ts';

const MARKS = 'counter-marks';

export interface Folder {
  readonly name: string;
  readonly folders: Map<string, Folder>;
  readonly files: FileEntry[];
}

/** Newest first; a device's counter settles a tie of clocks. */
const newestFirst = (a: SnapshotSummary, b: SnapshotSummary) => b.createdAt - a.createdAt || b.counter - a.counter;

/** All snapshots of the account, newest first; each device's newest is checked against rollback. */
export async function allSnapshots(api: ApiClient, db: KuraDb, keys: Pick<AccountKeys, 'manifest' | 'records'>): Promise<SnapshotSummary[]> {
  const list = (await api.snapshots()).sort(newestFirst);
  const marks = (((await db.settings.get(MARKS))?.value as Record<string, CounterMark> | undefined) ?? {}) as Record<string, CounterMark>;
  const newest = new Map<DeviceId, SnapshotSummary>();
  for (const s of list) {
    const seen = newest.get(s.deviceId);
    if (!seen || s.counter > seen.counter) newest.set(s.deviceId, s);
  }
  for (const [deviceId, s] of newest) {
    const mark = marks[deviceId];
    if (mark && (s.counter < mark.counter || (s.counter === mark.counter && s.id !== mark.id))) {
      throw new KuraError('manifest-rollback', { deviceId, counter: s.counter, lastSeen: mark.counter });
    }
    if (!mark || s.counter > mark.counter) {
      // Accept a new mark only from the sealed manifest itself: the listing is the server's word.
      marks[deviceId] = s.kind === 'records' ? await recordSetMark(api, keys, s, mark, db) : await snapshotMark(api, keys, s, mark, db);
    }
  }
  await db.settings.put({ key: MARKS, value: marks });
  await db.transaction('rw', db.snapshots, async () => {
    const listed = new Set(list.map((s) => s.id));
    const gone = (await db.snapshots.toCollection().primaryKeys()).filter((id) => !listed.has(id));
    await db.snapshots.bulkDelete(gone);
    // Only new or changed summaries are written: this runs on every listing (records read it on
    // each call), and rewriting every row would rewrite every kept sealed manifest with it.
    const cached = await db.snapshots.bulkGet(list.map((s) => s.id));
    const changed = list.flatMap((s, i) => {
      const row = cached[i];
      if (row && (Object.keys(s) as (keyof SnapshotSummary)[]).every((k) => row[k] === s[k])) return [];
      return [{ ...s, ...(row?.sealed ? { sealed: row.sealed } : {}) }];
    });
    await db.snapshots.bulkPut(changed);
  });
  return list;
}

async function snapshotMark(api: ApiClient, keys: Pick<AccountKeys, 'manifest'>, s: SnapshotSummary, mark: CounterMark | undefined, db: KuraDb): Promise<CounterMark> {
  const snapshot = await manifestOf(api, keys, s.id, mark, db);
  return { counter: snapshot.counter, id: snapshot.id };
}

/** A record set carries its device and counter inside the seal, as a snapshot does (DESIGN.md section 3). */
async function recordSetMark(api: ApiClient, keys: Pick<AccountKeys, 'records'>, s: SnapshotSummary, mark: CounterMark | undefined, db: KuraDb): Promise<CounterMark> {
  const set = await recordSetOf(api, keys, s, db, 'manifest-invalid');
  if (mark && set.counter < mark.counter) throw new KuraError('manifest-rollback', { deviceId: set.deviceId, counter: set.counter, lastSeen: mark.counter });
  return { counter: set.counter, id: set.id };
}

/** All snapshots, fresh from the server, or the list kept on this device when it cannot be reached. */
export async function snapshotList(api: ApiClient, db: KuraDb, keys: Pick<AccountKeys, 'manifest' | 'records'>): Promise<{ snapshots: SnapshotSummary[]; offline: boolean }> {
  try {
    return { snapshots: await allSnapshots(api, db, keys), offline: false };
  } catch (e) {
    if (!isKuraError(e, 'network-unavailable')) throw e;
    return { snapshots: await cachedSnapshots(db), offline: true };
  }
}

/** The snapshot list as last fetched on this device, newest first: for starting up and offline. */
export async function cachedSnapshots(db: KuraDb): Promise<SnapshotSummary[]> {
  const rows = await db.snapshots.toArray();
  return rows.map(({ sealed: _sealed, ...summary }: CachedSnapshot) => summary).sort(newestFirst);
}

/**
 * Opens a snapshot's sealed manifest (decrypted and schema-checked on this device). With `cache`,
 * the sealed manifest is kept, and used when the network is unavailable.
 */
export async function manifestOf(
  api: ApiClient,
  keys: Pick<AccountKeys, 'manifest'>,
  id: SnapshotSummary['id'],
  notBelow?: CounterMark,
  cache?: KuraDb,
): Promise<Snapshot> {
  const { stored, sealed } = await sealedSnapshot(api, id, cache);
  const snapshot = await openSnapshot(keys.manifest, sealed, { id, ...(notBelow ? { lastSeen: () => notBelow } : {}) });
  if (snapshot.deviceId !== stored.deviceId || snapshot.counter !== stored.counter || snapshot.kind !== stored.kind) {
    throw new KuraError('manifest-invalid', { reason: 'the listing disagrees with the sealed manifest', id });
  }
  return snapshot;
}

/**
 * A listed record set, opened (decrypted and schema-checked) once per device database
 * (records/opened.ts), or sealed on this device; cached or not, it must agree with the listing on
 * its device and counter, else `code`.
 */
export async function recordSetOf(
  api: ApiClient,
  keys: Pick<AccountKeys, 'records'>,
  s: SnapshotSummary,
  db: KuraDb,
  code: 'manifest-invalid' | 'records-invalid' = 'records-invalid',
): Promise<RecordSet> {
  const known = openedRecordSet(db, s.id);
  let set = known;
  let listed: Pick<SnapshotSummary, 'deviceId' | 'counter'> = s;
  if (!set) {
    const { stored, sealed } = await sealedSnapshot(api, s.id, db);
    set = await openRecordSet(keys.records, sealed, s.id);
    listed = stored;
  }
  if (set.deviceId !== listed.deviceId || set.counter !== listed.counter) {
    throw new KuraError(code, { reason: 'the listing disagrees with the sealed record set', id: s.id });
  }
  if (!known) rememberOpened(db, set);
  return set;
}

/** A snapshot's sealed manifest or record set as listed, fetched (and kept with `cache`) or, offline, the kept copy. */
export async function sealedSnapshot(api: ApiClient, id: SnapshotSummary['id'], cache: KuraDb | undefined): Promise<{ stored: SnapshotSummary; sealed: Bytes }> {
  try {
    const { sealed: text, ...stored } = await api.snapshot(id);
    const sealed = fromBase64Url(text);
    if (!sealed) throw new KuraError('bad-response', { reason: 'sealed manifest is not base64url' });
    await cache?.snapshots.put({ ...stored, sealed });
    return { stored, sealed };
  } catch (e) {
    const cached = isKuraError(e, 'network-unavailable') ? await cache?.snapshots.get(id) : undefined;
    if (!cached?.sealed) throw e;
    const { sealed, ...stored } = cached;
    return { stored, sealed };
  }
}

/** The snapshot's files as folders, for a folder view. */
export function folderTree(snapshot: Snapshot): Folder {
  const root: Folder = { name: '', folders: new Map(), files: [] };
  for (const entry of snapshot.entries) {
    const segments = entry.path.split('/');
    let folder = root;
    for (const segment of segments.slice(0, -1)) {
      let next = folder.folders.get(segment);
      if (!next) folder.folders.set(segment, (next = { name: segment, folders: new Map(), files: [] }));
      folder = next;
    }
    folder.files.push(entry);
  }
  return root;
}

/** A file's plaintext as a stream, verified chunk by chunk and whole (errors end the stream). */
export function fileStream(api: ApiClient, keys: RestoreKeys, entry: FileEntry): ReadableStream<Uint8Array> {
  const pieces = openFile(entry, keys, (id) => api.getChunk(id));
  return new ReadableStream({
    async pull(controller) {
      try {
        const next = await pieces.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (e) {
        controller.error(e);
      }
    },
    async cancel() {
      await pieces.return(undefined);
    },
  });
}
