/**
 * Folders the user picked, kept between visits (DESIGN.md section 5: handles live in idb-keyval).
 * A stored handle usually comes back with permission 'prompt' after a restart: the app shows a
 * "Reconnect" action that calls reconnect() (folder.ts) inside the user's click.
 */
import { createStore, del, entries, get, set, type UseStore } from 'idb-keyval';
import { readPermission } from './folder.ts';

export interface StoredFolder {
  readonly sourceId: string;
  readonly handle: FileSystemDirectoryHandle;
  /** 'granted' when it can be read now; 'prompt' needs a reconnect; 'denied' needs a new pick. */
  readonly permission: PermissionState;
}

let defaultStore: UseStore | undefined;
const store = () => (defaultStore ??= createStore('kura-handles', 'folders'));

export async function keepFolder(sourceId: string, handle: FileSystemDirectoryHandle, customStore = store()): Promise<void> {
  await set(sourceId, handle, customStore);
}

export async function forgetFolder(sourceId: string, customStore = store()): Promise<void> {
  await del(sourceId, customStore);
}

/** Every kept folder with its permission, checked without prompting. */
export async function keptFolders(customStore = store()): Promise<StoredFolder[]> {
  const kept = await entries<string, FileSystemDirectoryHandle>(customStore);
  return Promise.all(kept.map(async ([sourceId, handle]) => ({ sourceId, handle, permission: await readPermission(handle) })));
}

export async function keptFolder(sourceId: string, customStore = store()): Promise<FileSystemDirectoryHandle | undefined> {
  return get<FileSystemDirectoryHandle>(sourceId, customStore);
}
