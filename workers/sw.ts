/**
 * Kura's service worker (Workbox, injectManifest): precaches the app shell so Kura starts with no
 * network, answers navigations with index.html (never /api), and turns a Background Sync event
 * into a message that wakes the sync engine in the page. Chunk data never passes through here:
 * uploads stay in the engine's own outbox (DESIGN.md section 5).
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

interface ExtendableEvent extends Event {
  waitUntil(work: Promise<unknown>): void;
}
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}
interface WorkerScope {
  __WB_MANIFEST: (string | { url: string; revision: string | null })[];
  skipWaiting(): Promise<void>;
  clients: { matchAll(options: { includeUncontrolled: boolean; type: 'window' }): Promise<{ postMessage(message: unknown): void }[]> };
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'sync', listener: (event: SyncEvent) => void): void;
}
const sw = self as unknown as WorkerScope;

cleanupOutdatedCaches();
// Written as self.__WB_MANIFEST: the build looks for exactly that text to inject the list.
precacheAndRoute((self as unknown as WorkerScope).__WB_MANIFEST);
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api\//] }));

// The page asks for this when the user accepts "a new version is ready".
sw.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void sw.skipWaiting();
});

sw.addEventListener('sync', (event) => {
  if (event.tag !== 'kura-sync') return;
  event.waitUntil(
    sw.clients.matchAll({ includeUncontrolled: true, type: 'window' }).then((clients) => {
      for (const client of clients) client.postMessage({ type: 'kura-sync' });
    }),
  );
});
