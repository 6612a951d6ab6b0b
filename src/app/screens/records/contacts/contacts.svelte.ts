/**
 * The contacts screen's state: the account's contacts (loaded, reloaded after an import, a delete
 * or a restore), each indexed once for sorting and searching, the search, and the list's rows.
 * A reload keeps the list on screen (no flash back to "Loading"); a failed reload keeps it too,
 * with the error above it.
 */
import type { AppApi } from '../../../../client/app-api.ts';
import { recordKey } from '../../../../core/records/kinds.ts';
import type { Contact } from '../../../../core/records/index.ts';
import { indexContact, layoutRows, sortContacts, type IndexedContact } from './reading-index.ts';
import { matches, searchEntry, type SearchEntry } from './search.ts';

interface Loaded {
  readonly entries: readonly IndexedContact[];
  readonly search: ReadonlyMap<string, SearchEntry>;
  readonly offline: boolean;
}

export class ContactsState {
  loaded = $state.raw<Loaded | undefined>(undefined);
  error = $state.raw<unknown>(undefined);
  loading = $state(false);
  query = $state('');
  private generation = 0;

  constructor(private readonly api: AppApi) {}

  readonly total = $derived(this.loaded?.entries.length ?? 0);
  readonly shown = $derived.by(() => {
    const loaded = this.loaded;
    if (!loaded) return [];
    const query = this.query.trim();
    return query ? loaded.entries.filter((e) => matches(loaded.search.get(e.key)!, query)) : loaded.entries;
  });
  readonly layout = $derived(layoutRows(this.shown));

  /** The contact with this key in the last list loaded. */
  find(key: string): Contact | undefined {
    return this.loaded?.entries.find((e) => e.key === key)?.contact;
  }

  async load(): Promise<void> {
    const generation = ++this.generation;
    this.loading = true;
    this.error = undefined;
    try {
      const list = await this.api.records('contacts');
      if (generation !== this.generation) return; // a newer load is on its way
      const entries = sortContacts(list.records.map((c) => indexContact(c, recordKey('contacts', c))));
      this.loaded = { entries, search: new Map(entries.map((e) => [e.key, searchEntry(e.contact)])), offline: list.offline };
    } catch (error) {
      if (generation === this.generation) this.error = error;
    } finally {
      if (generation === this.generation) this.loading = false;
    }
  }
}
