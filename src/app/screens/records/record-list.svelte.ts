/**
 * One kind's records as a screen holds them: loading, then the list (and whether it is the copy
 * kept on this device), or the error. A reload keeps the list shown until the new one arrives, so
 * an import or a delete does not flash the screen empty. Used by the calendar and call-log views.
 */
import { untrack } from 'svelte';
import type { RecordKind, RecordOfKind, RecordsApi } from '../../../client/records-api.ts';

export type RecordListState<K extends RecordKind> =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly records: readonly RecordOfKind[K][]; readonly offline: boolean }
  | { readonly kind: 'error'; readonly error: unknown };

export class RecordListLoader<K extends RecordKind> {
  state = $state.raw<RecordListState<K>>({ kind: 'loading' });
  private generation = 0;

  constructor(
    private readonly api: Pick<RecordsApi, 'records'>,
    private readonly kind: K,
  ) {}

  readonly records: readonly RecordOfKind[K][] = $derived(this.state.kind === 'ready' ? this.state.records : []);

  /**
   * Loads now and again whenever `refresh()` changes (an import, a restore in the hub). Call it
   * while the component is set up: it registers an effect that lives as long as the component.
   */
  loadOn(refresh: () => unknown): void {
    $effect(() => {
      void refresh();
      void untrack(() => this.load());
    });
  }

  async load(): Promise<void> {
    const generation = ++this.generation;
    if (this.state.kind !== 'ready') this.state = { kind: 'loading' };
    try {
      const list = await this.api.records(this.kind);
      // A later load (a second import) wins over an earlier one that answers late.
      if (generation === this.generation) this.state = { kind: 'ready', records: list.records, offline: list.offline };
    } catch (error) {
      if (generation === this.generation) this.state = { kind: 'error', error };
    }
  }
}
