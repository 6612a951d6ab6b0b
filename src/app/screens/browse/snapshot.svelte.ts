/**
 * One snapshot opened: its manifest, the two views (photo grid, folders), the search, the
 * selection to restore, and which file the viewer shows. Entries stay plain frozen objects in
 * plain arrays; only the few fields below are reactive, and every list is a $derived of them.
 */
import type { AppApi, Language } from '../../../client/app-api.ts';
import { isKuraError } from '../../../core/errors.ts';
import type { SnapshotId } from '../../../core/ids.ts';
import type { FileEntry, Snapshot } from '../../../core/manifest/snapshot.ts';
import { entriesUnder, listFolder, selectedPerFolder, type FolderListing } from './folders.ts';
import { fileKind, isMedia } from './kinds.ts';
import { newestFirst } from './rows.ts';
import { matching, searchKey } from './search.ts';
import { ThumbnailCache } from './thumbnails.ts';

export type ViewMode = 'photos' | 'files';
export type LoadState = { readonly kind: 'loading' } | { readonly kind: 'ready'; readonly snapshot: Snapshot } | { readonly kind: 'error'; readonly error: unknown };
/** How a failed open is explained: each has its own words and next step. */
export type OpenFailure = 'not-found' | 'integrity' | 'not-cached' | 'other';

export const SEARCH_DELAY_MS = 150;

const INTEGRITY = ['manifest-invalid', 'manifest-id-mismatch', 'envelope-auth-failed', 'envelope-malformed', 'chunk-id-mismatch'] as const;

export function failureOf(error: unknown): OpenFailure {
  if (isKuraError(error, 'not-found')) return 'not-found';
  if (isKuraError(error) && (INTEGRITY as readonly string[]).includes(error.code)) return 'integrity';
  if (isKuraError(error, 'network-unavailable')) return 'not-cached';
  return 'other';
}

interface Catalog {
  readonly entries: readonly FileEntry[];
  readonly media: readonly FileEntry[];
  readonly bytes: number;
}

function catalogOf(entries: readonly FileEntry[]): Catalog {
  return { entries, media: newestFirst(entries.filter((e) => isMedia(fileKind(e)))), bytes: entries.reduce((sum, e) => sum + e.size, 0) };
}

/** The items whose keys match the query; the keys are only computed once someone searches. */
function search<T>(items: readonly T[], keys: () => readonly string[], query: string): readonly T[] | undefined {
  if (query.trim() === '') return undefined;
  return matching(keys(), query)!.map((i) => items[i]!);
}

export class SnapshotState {
  load = $state.raw<LoadState>({ kind: 'loading' });
  view = $state<ViewMode>('photos');
  /** What is in the search box now; `query` follows it after a short pause in typing. */
  queryInput = $state('');
  query = $state('');
  /** The folder the Files view shows ('' is the top). */
  folder = $state('');
  selection = $state.raw<ReadonlySet<string>>(new Set());
  viewer = $state.raw<{ readonly list: readonly FileEntry[]; readonly index: number } | undefined>(undefined);
  restoring = $state.raw<readonly FileEntry[] | undefined>(undefined);
  readonly thumbnails: ThumbnailCache;
  private anchor: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly language: () => Language = () => 'en';

  constructor(
    private readonly api: AppApi,
    readonly id: string,
    language: () => Language,
  ) {
    this.language = language;
    this.thumbnails = new ThumbnailCache((chunk) => api.thumbnail(chunk));
  }

  readonly snapshot = $derived(this.load.kind === 'ready' ? this.load.snapshot : undefined);
  readonly failure = $derived(this.load.kind === 'error' ? failureOf(this.load.error) : undefined);
  private readonly catalog = $derived(catalogOf(this.snapshot?.entries ?? []));
  private readonly keys = $derived(this.catalog.entries.map((e) => searchKey(e.path)));
  private readonly mediaKeys = $derived(this.catalog.media.map((e) => searchKey(e.path)));
  readonly totalBytes = $derived(this.catalog.bytes);
  /** The grid's items, newest first, narrowed by the search. */
  readonly media = $derived(search(this.catalog.media, () => this.mediaKeys, this.query) ?? this.catalog.media);
  private readonly collator = $derived(new Intl.Collator(this.language(), { numeric: true }));
  /** With a search, the Files view lists every match by path instead of one folder. */
  readonly results = $derived(search(this.catalog.entries, () => this.keys, this.query)?.toSorted((a, b) => this.collator.compare(a.path, b.path)));
  readonly listing: FolderListing = $derived(listFolder(this.catalog.entries, this.folder, this.collator));
  readonly folderSelection = $derived(selectedPerFolder(this.selection, this.folder));
  /** The files the current view lists, in order: where the viewer's previous and next go. */
  readonly shownFiles = $derived(this.view === 'photos' ? this.media : (this.results ?? this.listing.files));

  async open(): Promise<void> {
    this.load = { kind: 'loading' };
    try {
      const snapshot = await this.api.manifest(this.id as SnapshotId);
      this.load = { kind: 'ready', snapshot };
      this.view = this.catalog.media.length > 0 ? 'photos' : 'files';
    } catch (error) {
      this.load = { kind: 'error', error };
    }
  }

  setQuery(text: string): void {
    this.queryInput = text;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => (this.query = text), SEARCH_DELAY_MS);
  }

  clearQuery(): void {
    clearTimeout(this.timer);
    this.queryInput = '';
    this.query = '';
  }

  openFolder(path: string): void {
    this.folder = path;
  }

  isSelected(path: string): boolean {
    return this.selection.has(path);
  }

  /** Selects or unselects one file; with Shift, everything from the last one clicked to it. */
  toggle(list: readonly FileEntry[], index: number, extend = false): void {
    const entry = list[index];
    if (!entry) return;
    const on = !this.selection.has(entry.path);
    const from = extend && this.anchor !== undefined ? list.findIndex((e) => e.path === this.anchor) : -1;
    const next = new Set(this.selection);
    const [start, end] = from < 0 ? [index, index] : [Math.min(from, index), Math.max(from, index)];
    for (let i = start; i <= end; i++) {
      if (on) next.add(list[i]!.path);
      else next.delete(list[i]!.path);
    }
    this.anchor = entry.path;
    this.selection = next;
  }

  /** Selects everything under a folder, or unselects it all when it is all selected. */
  toggleFolder(path: string): void {
    const under = entriesUnder(this.catalog.entries, path);
    const all = under.every((e) => this.selection.has(e.path));
    const next = new Set(this.selection);
    for (const e of under) {
      if (all) next.delete(e.path);
      else next.add(e.path);
    }
    this.selection = next;
  }

  clearSelection(): void {
    this.selection = new Set();
    this.anchor = undefined;
  }

  openViewer(list: readonly FileEntry[], index: number): void {
    if (list[index]) this.viewer = { list, index };
  }

  step(delta: -1 | 1): void {
    const viewer = this.viewer;
    if (viewer && viewer.list[viewer.index + delta]) this.viewer = { list: viewer.list, index: viewer.index + delta };
  }

  closeViewer(): void {
    this.viewer = undefined;
  }

  restoreAll(): void {
    this.restoring = this.catalog.entries;
  }

  restoreSelected(): void {
    this.restoring = this.catalog.entries.filter((e) => this.selection.has(e.path));
  }

  closeRestore(): void {
    this.restoring = undefined;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.thumbnails.dispose();
  }
}
