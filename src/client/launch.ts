/**
 * Files the operating system hands to the installed app, by two roads:
 * - the share sheet (the manifest's share_target): the service worker (workers/sw.ts) keeps the
 *   POSTed files in the `kura-shared` cache and opens /?shared=<id>; the page takes them from there;
 * - "open with Kura" (the manifest's file_handlers): Chromium passes file handles to
 *   `window.launchQueue`.
 * The helpers above onLaunchFiles are shared with the service worker, which writes what they read.
 */

export const SHARED_CACHE = 'kura-shared';
export const SHARED_PREFIX = '/__shared/';
const NAME_HEADER = 'X-Kura-Name';

/** Where file `index` of share `id` waits in the cache (a URL nothing on the network answers). */
export function sharedUrl(id: string, index: number): string {
  return `${SHARED_PREFIX}${id}/${index}`;
}

/**
 * A shared file's name (percent-encoded: headers carry only Latin-1) and type. A share carries no
 * dates (multipart bodies have none), so the files are dated when they arrive.
 */
export function sharedHeaders(file: File): Headers {
  const headers = new Headers({ [NAME_HEADER]: encodeURIComponent(file.name) });
  if (file.type) headers.set('Content-Type', file.type);
  return headers;
}

async function fileOf(response: Response, fallbackName: string): Promise<File> {
  const encoded = response.headers.get(NAME_HEADER);
  let name = fallbackName;
  try {
    if (encoded) name = decodeURIComponent(encoded);
  } catch {
    // A malformed name keeps the fallback.
  }
  const blob = await response.blob();
  return new File([blob], name, { type: response.headers.get('Content-Type') ?? blob.type });
}

/**
 * The files of the share named in `?shared=<id>`, taken out of the cache (so a reload does not
 * hand them over twice); the query leaves the address bar either way.
 */
export async function takeSharedFiles(): Promise<File[]> {
  const params = new URLSearchParams(location.search);
  const id = params.get('shared');
  if (id === null) return [];
  params.delete('shared');
  const query = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
  if (!/^\d+$/.test(id) || !('caches' in globalThis)) return [];

  const cache = await caches.open(SHARED_CACHE);
  const prefix = new URL(`${SHARED_PREFIX}${id}/`, location.origin).href;
  const indexOf = (request: Request) => Number(request.url.slice(prefix.length));
  const requests = (await cache.keys()).filter((request) => request.url.startsWith(prefix)).sort((a, b) => indexOf(a) - indexOf(b));
  const files: File[] = [];
  for (const request of requests) {
    const response = await cache.match(request);
    if (response) files.push(await fileOf(response, `shared-${id}-${indexOf(request)}`));
    await cache.delete(request);
  }
  return files;
}

interface LaunchParams {
  readonly targetURL?: string;
  readonly files: readonly FileSystemHandle[];
}
interface LaunchQueue {
  setConsumer(consumer: (params: LaunchParams) => void): void;
}

async function filesOf(handles: readonly FileSystemHandle[]): Promise<File[]> {
  const files: File[] = [];
  for (const handle of handles) {
    if (handle.kind !== 'file') continue;
    try {
      files.push(await (handle as FileSystemFileHandle).getFile());
    } catch {
      // A file gone or refused since the launch is skipped; the others still arrive.
    }
  }
  return files;
}

/**
 * Calls back with the files of each launch: a share that opened this page, and every "open with"
 * (including ones into this already-open window: the manifest's launch_handler focuses it).
 * Never called with an empty list.
 */
export function onLaunchFiles(callback: (files: File[]) => void): void {
  void takeSharedFiles().then(
    (files) => {
      if (files.length > 0) callback(files);
    },
    () => undefined, // Cache storage refused (private mode, storage pressure): nothing to hand over.
  );
  const queue = (globalThis as { launchQueue?: LaunchQueue }).launchQueue;
  queue?.setConsumer((params) => {
    void filesOf(params.files).then((files) => {
      if (files.length > 0) callback(files);
    });
  });
}
