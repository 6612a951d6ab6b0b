/**
 * Kura's service worker (Workbox, injectManifest): precaches the app shell so Kura starts with no
 * network, answers navigations with index.html (never /api), turns a Background Sync event into a
 * message that wakes the sync engine in the page, and receives files shared to the installed app
 * (the manifest's share_target). Chunk data never passes through here: uploads stay in the
 * engine's own outbox (DESIGN.md section 5).
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { SHARED_CACHE, SHARED_PREFIX, sharedHeaders, sharedUrl } from '../src/client/launch.ts';

interface ExtendableEvent extends Event {
  waitUntil(work: Promise<unknown>): void;
}
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response> | Response): void;
}
interface WorkerScope {
  location: Location;
  __WB_MANIFEST: (string | { url: string; revision: string | null })[];
  skipWaiting(): Promise<void>;
  clients: { matchAll(options: { includeUncontrolled: boolean; type: 'window' }): Promise<{ postMessage(message: unknown): void }[]> };
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'sync', listener: (event: SyncEvent) => void): void;
}
const sw = self as unknown as WorkerScope;

// Registered before Workbox's routes, so this listener answers the share before any other.
sw.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'POST' || url.origin !== sw.location.origin || url.pathname !== '/share-target') return;
  event.respondWith(receiveShare(event.request));
});

/**
 * Keeps the shared files in the `kura-shared` cache under /__shared/<id>/<index> and sends the
 * window to /?shared=<id>, where src/client/launch.ts takes them. Shares nobody picked up within a
 * day (the window closed first) are dropped here. A share that cannot be read still opens the app.
 */
async function receiveShare(request: Request): Promise<Response> {
  const id = String(Date.now());
  try {
    const form = await request.formData();
    const files = form.getAll('files').filter((entry): entry is File => typeof entry !== 'string');
    const cache = await caches.open(SHARED_CACHE);
    await dropStaleShares(cache, Number(id));
    await Promise.all(files.map((file, index) => cache.put(sharedUrl(id, index), new Response(file, { headers: sharedHeaders(file) }))));
    return Response.redirect(new URL(files.length > 0 ? `/?shared=${id}` : '/', sw.location.origin).href, 303);
  } catch {
    return Response.redirect(new URL('/', sw.location.origin).href, 303);
  }
}

const DAY = 24 * 60 * 60 * 1000;
async function dropStaleShares(cache: Cache, now: number): Promise<void> {
  for (const request of await cache.keys()) {
    const stamp = Number(new URL(request.url).pathname.slice(SHARED_PREFIX.length).split('/')[0]);
    if (!(now - stamp < DAY)) await cache.delete(request);
  }
}

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
