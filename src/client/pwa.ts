/**
 * The page's side of the service worker: registration, the "new version ready" prompt, and asking
 * for a Background Sync wake-up when the outbox has work (where the browser supports it).
 */
import { Workbox } from 'workbox-window';

export interface ServiceWorkerControl {
  /** Resolves with a function that activates the waiting version and reloads, when one is ready. */
  readonly updateReady: Promise<() => void>;
  /** Asks for a wake-up when the network is back; false where Background Sync is missing. */
  requestSyncWakeUp(): Promise<boolean>;
}

export function registerServiceWorker(url = '/sw.js'): ServiceWorkerControl | undefined {
  if (!('serviceWorker' in navigator)) return undefined;
  const wb = new Workbox(url, { type: 'module' });
  const updateReady = new Promise<() => void>((resolve) => {
    wb.addEventListener('waiting', () => {
      resolve(() => {
        wb.addEventListener('controlling', () => window.location.reload());
        wb.messageSkipWaiting();
      });
    });
  });
  void wb.register();
  return {
    updateReady,
    async requestSyncWakeUp() {
      const registration = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & {
        sync?: { register(tag: string): Promise<void> };
      };
      if (!registration.sync) return false;
      await registration.sync.register('kura-sync');
      return true;
    },
  };
}

/** What the UI receives when a new version is ready: `activate()` switches to it and reloads. */
export interface UpdateReadyDetail {
  readonly activate: () => void;
}

/** Tells the page, with a `kura:update-ready` event, once a new version is waiting. */
export function announceUpdates(control: ServiceWorkerControl, target: EventTarget): void {
  void control.updateReady.then((activate) => target.dispatchEvent(new CustomEvent<UpdateReadyDetail>('kura:update-ready', { detail: { activate } })));
}
