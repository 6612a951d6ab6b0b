/**
 * What the user picked, kept between visits (DESIGN.md section 5: handles live in idb-keyval): a
 * folder from showDirectoryPicker, or a set of files from showOpenFilePicker. A stored handle
 * usually comes back with permission 'prompt' after a restart: the app shows a "Reconnect" action
 * that calls reconnect() (folder.ts) inside the user's click. idb-keyval works in the engine
 * worker too, so a run interrupted by a crash can be taken up again there.
 */
import { createStore, del, entries, get, set, type UseStore } from 'idb-keyval';
import { readPermission, reconnect } from './folder.ts';

export type PickedSource =
  | { readonly kind: 'folder'; readonly handle: FileSystemDirectoryHandle }
  | { readonly kind: 'files'; readonly handles: readonly FileSystemFileHandle[] };

export type StoredSource = PickedSource & {
  readonly sourceId: string;
  /** 'granted' when it can be read now; 'prompt' needs a reconnect; 'denied' needs a new pick. */
  readonly permission: PermissionState;
};

let defaultStore: UseStore | undefined;
const store = () => (defaultStore ??= createStore('kura-handles', 'sources'));

export async function keepSource(sourceId: string, picked: PickedSource, customStore = store()): Promise<void> {
  await set(sourceId, picked, customStore);
}

export async function forgetSource(sourceId: string, customStore = store()): Promise<void> {
  await del(sourceId, customStore);
}

/** Every kept source with its permission, checked without prompting (the least of a file set's). */
export async function keptSources(customStore = store()): Promise<StoredSource[]> {
  const kept = await entries<string, PickedSource>(customStore);
  return Promise.all(kept.map(async ([sourceId, picked]) => ({ ...picked, sourceId, permission: await permissionOf(picked) })));
}

export async function keptSource(sourceId: string, customStore = store()): Promise<PickedSource | undefined> {
  return get<PickedSource>(sourceId, customStore);
}

/** The handles to ask again for, in the user's click: one folder, or each file of a set. */
export function handlesOf(picked: PickedSource): FileSystemHandle[] {
  return picked.kind === 'folder' ? [picked.handle] : [...picked.handles];
}

/** Whether the pick can be read now without asking: the least permission of its handles. */
export async function permissionOf(picked: PickedSource): Promise<PermissionState> {
  const states = await Promise.all(handlesOf(picked).map(readPermission));
  return states.includes('denied') ? 'denied' : states.includes('prompt') ? 'prompt' : 'granted';
}

/**
 * The "Reconnect" action for a kept source whose permission came back as 'prompt': asks for each
 * of its handles again. Must run in the page, inside the user's click (requestPermission needs a
 * user gesture and cannot run in a worker). True when every handle can be read again.
 */
export async function reconnectKept(sourceId: string, customStore = store()): Promise<boolean> {
  const picked = await keptSource(sourceId, customStore);
  if (!picked) return false;
  for (const handle of handlesOf(picked)) if (!(await reconnect(handle))) return false;
  return true;
}
