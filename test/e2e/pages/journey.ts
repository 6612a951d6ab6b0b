/**
 * Page-side helpers for the Chromium journeys, imported by the page from the dev server: folders
 * in OPFS standing in for picked ones, deterministic file contents, hashes of a folder tree, the
 * engine worker (one per page) and the page's sync loop. Nothing here is Kura logic.
 */
import { proxy, startEngine, type Engine } from '../../../src/client/engine/connect.ts';
import { startPageSync } from '../../../src/client/engine/page-sync.ts';
import type { ScheduledState } from '../../../src/client/sync/scheduler.ts';

export interface FileSpec {
  readonly path: string;
  readonly size: number;
  readonly seed: number;
  /** Written at the start of the file (a marker to look for later). */
  readonly text?: string;
}

let started: { engine: Engine } | undefined;
export const engine = (): Engine => (started ??= startEngine()).engine;
export { proxy };

/** A folder under the OPFS root, emptied first when `fresh`. */
export async function opfsFolder(name: string, fresh = false): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  if (fresh) await root.removeEntry(name, { recursive: true }).catch(() => undefined);
  return root.getDirectoryHandle(name, { create: true });
}

/** Writes each file (nested folders made as needed) with xorshift bytes from its seed. */
export async function writeFiles(folder: FileSystemDirectoryHandle, specs: readonly FileSpec[]): Promise<void> {
  const buffer = new Uint8Array(1 << 20);
  for (const spec of specs) {
    const segments = spec.path.split('/');
    let dir = folder;
    for (const segment of segments.slice(0, -1)) dir = await dir.getDirectoryHandle(segment, { create: true });
    const writable = await (await dir.getFileHandle(segments.at(-1)!, { create: true })).createWritable();
    let state = spec.seed | 1;
    let left = spec.size;
    let first = true;
    while (left > 0) {
      const n = Math.min(left, buffer.length);
      const words = new Uint32Array(buffer.buffer, 0, Math.ceil(n / 4));
      for (let i = 0; i < words.length; i++) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        words[i] = state >>> 0;
      }
      if (first && spec.text) buffer.set(new TextEncoder().encode(spec.text).subarray(0, n));
      first = false;
      await writable.write(buffer.subarray(0, n));
      left -= n;
    }
    await writable.close();
  }
}

/** SHA-256 (hex) of every file under a folder, by relative path. */
export async function hashTree(folder: FileSystemDirectoryHandle, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const [name, handle] of (folder as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
    if (handle.kind === 'directory') Object.assign(out, await hashTree(handle as FileSystemDirectoryHandle, `${prefix}${name}/`));
    else {
      const bytes = await (await (handle as FileSystemFileHandle).getFile()).arrayBuffer();
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      out[prefix + name] = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    }
  }
  return out;
}

/** Starts the page's sync loop; resolves with the first state of one of the given kinds. */
export function syncUntil(kinds: readonly ScheduledState['kind'][], seen: ScheduledState['kind'][] = []): Promise<ScheduledState> {
  return new Promise((resolve) => {
    startPageSync({
      engine: engine(),
      onState: (state) => {
        seen.push(state.kind);
        if (kinds.includes(state.kind)) resolve(state);
      },
    });
  });
}

/** Every file in OPFS as bytes, with its path: for the no-plaintext scan. */
export async function opfsFiles(folder?: FileSystemDirectoryHandle, prefix = ''): Promise<[string, Uint8Array][]> {
  const dir = folder ?? (await navigator.storage.getDirectory());
  const out: [string, Uint8Array][] = [];
  for await (const [name, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
    if (handle.kind === 'directory') out.push(...(await opfsFiles(handle as FileSystemDirectoryHandle, `${prefix}${name}/`)));
    else out.push([prefix + name, new Uint8Array(await (await (handle as FileSystemFileHandle).getFile()).arrayBuffer())]);
  }
  return out;
}

/** Every record of every IndexedDB database of this origin, with its database and store names. */
export async function indexedDbRecords(): Promise<{ where: string; value: unknown }[]> {
  const out: { where: string; value: unknown }[] = [];
  for (const { name } of await indexedDB.databases()) {
    if (!name) continue;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    for (const store of Array.from(db.objectStoreNames)) {
      const [keys, values] = await Promise.all(
        ['getAllKeys', 'getAll'].map(
          (method) =>
            new Promise<unknown[]>((resolve, reject) => {
              const request = (db.transaction(store).objectStore(store) as unknown as Record<string, () => IDBRequest<unknown[]>>)[method]!();
              request.onsuccess = () => resolve(request.result);
              request.onerror = () => reject(request.error);
            }),
        ),
      );
      keys!.forEach((key, i) => out.push({ where: `${name}/${store}`, value: [key, values![i]] }));
    }
    db.close();
  }
  return out;
}
