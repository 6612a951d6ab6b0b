/**
 * The Browse list: every device's snapshots, newest first, in day sections, with a filter by
 * device. A snapshot's source name and file count are sealed inside its manifest, so they are
 * fetched only for the first rows shown (a few at a time) and kept here; the rest show their kind.
 */
import { SvelteMap } from 'svelte/reactivity';
import type { AppApi } from '../../../client/app-api.ts';
import type { SnapshotId } from '../../../core/ids.ts';
import type { SnapshotSummary } from '../../../core/protocol.ts';
import { groupByDay } from './days.ts';
import { DeviceNames } from './device-names.svelte.ts';

export type ListState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly snapshots: readonly SnapshotSummary[]; readonly offline: boolean }
  | { readonly kind: 'error'; readonly error: unknown };

export interface SnapshotDetails {
  readonly source: string;
  readonly files: number;
}

/** Manifests opened ahead for the list, and how many at a time. */
export const DETAILS_AHEAD = 20;
const DETAILS_CONCURRENCY = 3;

export class BrowseState {
  list = $state.raw<ListState>({ kind: 'loading' });
  /** Show one device's snapshots only; undefined shows all. */
  device = $state<string | undefined>(undefined);
  readonly details = new SvelteMap<string, SnapshotDetails>();
  readonly devices: DeviceNames;
  private readonly asked = new Set<string>();
  private readonly now: () => number = Date.now;

  constructor(
    private readonly api: AppApi,
    thisDevice: () => string | undefined,
    now: () => number = Date.now,
  ) {
    this.devices = new DeviceNames(api, thisDevice);
    this.now = now;
  }

  readonly snapshots = $derived(this.list.kind === 'ready' ? this.list.snapshots : []);
  /** Devices that made at least one snapshot, in order of their newest one. */
  readonly deviceIds = $derived([...new Set([...this.snapshots].sort((a, b) => b.createdAt - a.createdAt).map((s) => s.deviceId))]);
  readonly shown = $derived(this.device === undefined ? this.snapshots : this.snapshots.filter((s) => s.deviceId === this.device));
  readonly groups = $derived(groupByDay(this.shown, this.now()));

  async load(): Promise<void> {
    this.list = { kind: 'loading' };
    const names = this.devices.load();
    try {
      const { snapshots, offline } = await this.api.snapshots();
      await names;
      this.list = { kind: 'ready', snapshots, offline };
      void this.fetchDetails();
    } catch (error) {
      this.list = { kind: 'error', error };
    }
  }

  filter(device: string | undefined): void {
    this.device = device;
    void this.fetchDetails();
  }

  /** Opens the manifests of the first rows shown, for their names; failures leave the kind label. */
  private async fetchDetails(): Promise<void> {
    const first = this.groups.flatMap((g) => g.items).slice(0, DETAILS_AHEAD);
    const todo = first.filter((s) => !this.asked.has(s.id));
    for (const s of todo) this.asked.add(s.id);
    const worker = async () => {
      for (let s = todo.shift(); s; s = todo.shift()) {
        try {
          const manifest = await this.api.manifest(s.id as SnapshotId);
          this.details.set(s.id, { source: manifest.source, files: manifest.entries.length });
        } catch {
          // Offline and never opened here, or damaged: the row keeps its kind label.
        }
      }
    };
    await Promise.all(Array.from({ length: DETAILS_CONCURRENCY }, worker));
  }
}
