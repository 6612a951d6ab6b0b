/**
 * The Files view: a snapshot's flat list of paths seen as folders. One pass over the entries per
 * folder opened (fast enough for 10,000 entries on every click), folders first, then files, both
 * in the user's language's order with numbers compared as numbers ("IMG_2" before "IMG_10").
 */
import type { FileEntry } from '../../../core/manifest/snapshot.ts';

export interface FolderItem {
  readonly name: string;
  /** The folder's path from the snapshot's top ('' is the top itself). */
  readonly path: string;
  /** Files anywhere under it. */
  readonly files: number;
  readonly bytes: number;
}

export interface FolderListing {
  readonly folders: readonly FolderItem[];
  readonly files: readonly FileEntry[];
}

export function prefixOf(folder: string): string {
  return folder === '' ? '' : `${folder}/`;
}

export function listFolder(entries: readonly FileEntry[], folder: string, collator: Intl.Collator): FolderListing {
  const prefix = prefixOf(folder);
  const folders = new Map<string, { files: number; bytes: number }>();
  const files: FileEntry[] = [];
  for (const entry of entries) {
    if (!entry.path.startsWith(prefix)) continue;
    const slash = entry.path.indexOf('/', prefix.length);
    if (slash < 0) {
      files.push(entry);
      continue;
    }
    const name = entry.path.slice(prefix.length, slash);
    const sum = folders.get(name) ?? { files: 0, bytes: 0 };
    sum.files++;
    sum.bytes += entry.size;
    folders.set(name, sum);
  }
  const byName = (a: { name: string }, b: { name: string }) => collator.compare(a.name, b.name);
  return {
    folders: [...folders].map(([name, sum]) => ({ name, path: prefix + name, ...sum })).sort(byName),
    files: files.sort((a, b) => collator.compare(a.path, b.path)),
  };
}

/** Every entry under a folder (selecting a folder selects these). */
export function entriesUnder(entries: readonly FileEntry[], folder: string): FileEntry[] {
  const prefix = prefixOf(folder);
  return entries.filter((e) => e.path.startsWith(prefix));
}

/** How many selected paths fall under each of the named sub-folders of `folder`. */
export function selectedPerFolder(selection: ReadonlySet<string>, folder: string): Map<string, number> {
  const prefix = prefixOf(folder);
  const counts = new Map<string, number>();
  for (const path of selection) {
    if (!path.startsWith(prefix)) continue;
    const slash = path.indexOf('/', prefix.length);
    if (slash < 0) continue;
    const name = prefix + path.slice(prefix.length, slash);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** 'a/b/c' → [{name:'a', path:'a'}, {name:'b', path:'a/b'}, {name:'c', path:'a/b/c'}]. */
export function crumbs(folder: string): { name: string; path: string }[] {
  if (folder === '') return [];
  const parts = folder.split('/');
  return parts.map((name, i) => ({ name, path: parts.slice(0, i + 1).join('/') }));
}
