/**
 * The sync loop as the page runs it: the scheduler (scheduler.ts) wakes the engine worker on
 * start, `online`, visibility, its timer and the service worker's Background Sync message; the
 * UI hears one state stream (offline / waiting / uploading with counts, bytes and ETA / in sync /
 * error / paused). When the loop stops for want of a network, it asks the service worker for a
 * Background Sync wake-up, so the browser can bring it back once the network returns.
 */
import { proxy } from 'comlink';
import type { ServiceWorkerControl } from '../pwa.ts';
import { browserWakeSources, SyncScheduler, type ScheduledState, type WakeSources } from '../sync/scheduler.ts';
import type { SyncState } from '../sync/engine.ts';

export interface PageSyncOptions {
  /** The engine (a Comlink remote in the page, or the service itself). */
  readonly engine: { sync(onState?: (s: SyncState) => void): Promise<SyncState> };
  readonly onState: (state: ScheduledState) => void;
  readonly serviceWorker?: ServiceWorkerControl;
  readonly wakes?: WakeSources;
}

export function startPageSync(options: PageSyncOptions): SyncScheduler {
  const progress = proxy((state: SyncState) => options.onState(state));
  const scheduler = new SyncScheduler({
    engine: { run: () => options.engine.sync(progress) },
    wakes: options.wakes ?? browserWakeSources(),
    onState: (state) => {
      options.onState(state);
      if (state.kind === 'offline' || state.kind === 'waiting') void options.serviceWorker?.requestSyncWakeUp().catch(() => false);
    },
  });
  scheduler.start();
  return scheduler;
}
