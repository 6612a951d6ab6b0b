/**
 * Restoring files of a snapshot into a folder the user picked (File System Access API), keeping
 * relative paths. Each file is streamed from its verified chunks into `createWritable()`, which
 * writes to a side file that replaces the target only on close: a file that fails verification is
 * aborted and whatever was there stays as it was. Existing files are skipped, overwritten or kept
 * alongside ("name (1).ext"), as the user chose.
 */
import type { Bytes } from '../../core/bytes.ts';
import { isKuraError, type KuraErrorCode } from '../../core/errors.ts';
import type { ChunkId } from '../../core/ids.ts';
import type { FileEntry } from '../../core/manifest/snapshot.ts';
import { openFile, type RestoreKeys } from '../../core/pipeline/restore.ts';

export type Collision = 'skip' | 'overwrite' | 'keep-both';

export interface RestoredFile {
  readonly path: string;
  /** Where it was written (differs from path when kept alongside an existing file). */
  readonly writtenAs?: string;
  readonly status: 'restored' | 'skipped' | 'failed';
  readonly code?: KuraErrorCode | 'unknown';
}

export interface RestoreToFolderOptions {
  readonly keys: RestoreKeys;
  readonly fetchEnvelope: (id: ChunkId) => Promise<Bytes>;
  readonly collision: Collision;
  /** Called as each file ends (not in order when several go at once); index is the entry's. */
  readonly onFile?: (result: RestoredFile, index: number, total: number) => void;
  readonly signal?: AbortSignal;
  /** Files restored at once (default 4; always 1 for 'keep-both'). */
  readonly filesAtOnce?: number;
}

/**
 * Files are restored a few at a time (each also fetching chunks ahead), since a folder of small
 * files is bound by round trips, not bytes. "Keep both" goes one file at a time, so two files
 * cannot pick the same free name. Results come back in the entries' order.
 */
export async function restoreToFolder(
  target: FileSystemDirectoryHandle,
  entries: readonly FileEntry[],
  options: RestoreToFolderOptions,
): Promise<RestoredFile[]> {
  const results: RestoredFile[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < entries.length && !options.signal?.aborted) {
      const index = next++;
      const result = await restoreOne(target, entries[index]!, options);
      results[index] = result;
      options.onFile?.(result, index, entries.length);
    }
  };
  const lanes = options.collision === 'keep-both' ? 1 : (options.filesAtOnce ?? 4);
  await Promise.all(Array.from({ length: Math.min(lanes, entries.length) }, lane));
  return results.filter((r) => r !== undefined);
}

async function restoreOne(root: FileSystemDirectoryHandle, entry: FileEntry, options: RestoreToFolderOptions): Promise<RestoredFile> {
  const segments = entry.path.split('/');
  const name = segments.pop()!;
  try {
    let dir = root;
    for (const segment of segments) dir = await dir.getDirectoryHandle(segment, { create: true });
    let finalName = name;
    if (await exists(dir, name)) {
      if (options.collision === 'skip') return { path: entry.path, status: 'skipped' };
      if (options.collision === 'keep-both') finalName = await freeName(dir, name);
    }
    const handle = await dir.getFileHandle(finalName, { create: true });
    const writable = await handle.createWritable();
    try {
      for await (const piece of openFile(entry, options.keys, options.fetchEnvelope)) await writable.write(piece);
    } catch (e) {
      await writable.abort().catch(() => undefined); // the target keeps its old content
      throw e;
    }
    await writable.close();
    const writtenAs = [...segments, finalName].join('/');
    return writtenAs === entry.path ? { path: entry.path, status: 'restored' } : { path: entry.path, writtenAs, status: 'restored' };
  } catch (e) {
    return { path: entry.path, status: 'failed', code: isKuraError(e) ? e.code : 'unknown' };
  }
}

async function exists(dir: FileSystemDirectoryHandle, name: string): Promise<boolean> {
  try {
    await dir.getFileHandle(name);
    return true;
  } catch (e) {
    if (e instanceof DOMException && (e.name === 'NotFoundError' || e.name === 'TypeMismatchError')) return e.name === 'TypeMismatchError';
    throw e;
  }
}

/** "photo.jpg" → "photo (1).jpg", "photo (2).jpg", … the first that is free. */
async function freeName(dir: FileSystemDirectoryHandle, name: string): Promise<string> {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 1; ; n++) {
    const candidate = `${stem} (${n})${ext}`;
    if (!(await exists(dir, candidate))) return candidate;
  }
}
