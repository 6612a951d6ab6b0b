/**
 * Where a zip restore goes before the user downloads it: a file in the Origin Private File System
 * (directory "kura-downloads"), written by the engine worker through a sync access handle, then
 * handed to the page as a File for `URL.createObjectURL`. A disk-backed File keeps the page's
 * memory flat whatever the zip's size, which a Blob built in memory would not.
 *
 * The page must not clear a download while the browser may still be reading it: clear old ones
 * (clearDownloads) at start-up or before the next zip, not right after clicking the link.
 */
import { KuraError } from '../../core/errors.ts';
import type { FileEntry } from '../../core/manifest/snapshot.ts';
import type { RestoredFile } from './to-folder.ts';
import { restoreToZip, type RestoreToZipOptions } from './to-zip.ts';

export const DOWNLOADS_DIRECTORY = 'kura-downloads';

export interface ZipDownload {
  /** The zip on disk (OPFS), for `URL.createObjectURL`. */
  readonly file: File;
  readonly results: RestoredFile[];
}

interface SyncAccessHandle {
  write(buffer: ArrayBufferView, options?: { at?: number }): number;
  truncate(size: number): void;
  flush(): void;
  close(): void;
}

/** Restores the entries as a zip into a new OPFS file; on failure or cancel the file is removed. */
export async function zipToDownload(entries: readonly FileEntry[], options: RestoreToZipOptions): Promise<ZipDownload> {
  const dir = await downloadsDirectory();
  const name = `kura-restore-${new Date().toISOString().replace(/[:.]/g, '-')}-${crypto.randomUUID().slice(0, 8)}.zip`;
  const handle = await dir.getFileHandle(name, { create: true });
  try {
    const results = await restoreToZip(await fileSink(handle), entries, options);
    return { file: await handle.getFile(), results };
  } catch (e) {
    await dir.removeEntry(name).catch(() => undefined);
    throw e;
  }
}

/** Removes downloads last written at least `olderThanMs` ago (all by default); returns how many. */
export async function clearDownloads(olderThanMs = 0): Promise<number> {
  const dir = await downloadsDirectory();
  const cutoff = Date.now() - olderThanMs;
  let removed = 0;
  for await (const [name, handle] of dir.entries()) {
    if (handle.kind !== 'file' || (await (handle as FileSystemFileHandle).getFile()).lastModified > cutoff) continue;
    try {
      await dir.removeEntry(name);
      removed++;
    } catch (e) {
      // A zip still being written holds its file locked: it is not old, leave it.
      if (!(e instanceof DOMException && e.name === 'NoModificationAllowedError')) throw e;
    }
  }
  return removed;
}

async function downloadsDirectory(): Promise<FileSystemDirectoryHandle> {
  return (await navigator.storage.getDirectory()).getDirectoryHandle(DOWNLOADS_DIRECTORY, { create: true });
}

/**
 * A WritableStream onto the file: a sync access handle in a worker (DESIGN.md section 9: about ten
 * times createWritable's speed here), createWritable elsewhere. A full disk becomes quota-exceeded.
 */
async function fileSink(handle: FileSystemFileHandle): Promise<WritableStream<Uint8Array>> {
  let sync: SyncAccessHandle | undefined;
  try {
    sync = await (handle as unknown as { createSyncAccessHandle?: () => Promise<SyncAccessHandle> }).createSyncAccessHandle?.();
  } catch (e) {
    if (!(e instanceof DOMException && e.name === 'InvalidStateError')) throw e; // not in a dedicated worker
  }
  if (!sync) return handle.createWritable() as Promise<WritableStream<Uint8Array>>;
  const file = sync;
  file.truncate(0);
  let at = 0;
  return new WritableStream<Uint8Array>({
    write(piece) {
      try {
        at += file.write(piece, { at });
      } catch (e) {
        if (e instanceof DOMException && e.name === 'QuotaExceededError') throw new KuraError('quota-exceeded', { local: true }, e);
        throw e;
      }
    },
    close() {
      file.flush();
      file.close();
    },
    abort() {
      file.close();
    },
  });
}
