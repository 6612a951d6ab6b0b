/**
 * The built app as an installable PWA in real Chromium: nothing stands in the way of installing it,
 * its manifest declares the share target and the file handlers, its icons are the PNGs they claim
 * to be, files shared to it land in the `kura-shared` cache and reach the page through launch.ts,
 * and the CSP lets the PDF viewer frame a decrypted document but nothing else.
 */
import { build, type Rolldown } from 'vite';
import { expect, test } from 'vitest';
import { installabilityErrors, loadControlled } from './audit.ts';
import { launchPersistentChromium } from './harness.ts';
import { useBuiltApp } from './setup.ts';

const app = useBuiltApp();

interface Manifest {
  id: string;
  start_url: string;
  display: string;
  icons: { src: string; sizes: string; type: string; purpose: string }[];
  share_target: { action: string; method: string; enctype: string; params: { files: { name: string; accept: string[] }[] } };
  file_handlers: { action: string; accept: Record<string, string[]> }[];
  launch_handler: { client_mode: string };
}

/** A PNG's width and height, from its IHDR chunk (always the first, at byte 8). */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(new TextDecoder().decode(bytes.subarray(12, 16))).toBe('IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

test('Chromium finds nothing standing in the way of installing the app', async () => {
  // An on-disk profile: Chromium never installs from an incognito one (launch()'s contexts).
  const chromium = await launchPersistentChromium();
  try {
    const page = await chromium.context.newPage();
    await page.goto(app.kura.origin + '/');
    await page.waitForFunction(() => document.querySelector('link[rel="manifest"]') !== null);
    expect(await installabilityErrors(page)).toEqual([]);
  } finally {
    await chromium.close();
  }
}, 60_000);

test('the manifest declares the share target, the file handlers and icons that load', async () => {
  const response = await fetch(app.kura.origin + '/manifest.webmanifest');
  expect(response.status).toBe(200);
  const manifest = (await response.json()) as Manifest;
  expect(manifest).toMatchObject({ id: '/', start_url: '/', display: 'standalone', launch_handler: { client_mode: 'focus-existing' } });
  expect(manifest.share_target).toEqual({
    action: '/share-target',
    method: 'POST',
    enctype: 'multipart/form-data',
    params: { files: [{ name: 'files', accept: ['image/*', 'video/*', 'text/vcard', 'text/x-vcard', '.vcf', 'text/calendar', '.ics'] }] },
  });
  expect(manifest.file_handlers).toEqual([{ action: '/', accept: { 'text/vcard': ['.vcf'], 'text/calendar': ['.ics'] } }]);

  const html = await (await fetch(app.kura.origin + '/')).text();
  const appleTouch = /<link rel="apple-touch-icon" href="([^"]+)"/.exec(html)?.[1];
  expect(appleTouch).toBe('/apple-touch-icon.png');
  const icons = [...manifest.icons, { src: appleTouch!, sizes: '180x180', type: 'image/png', purpose: 'apple-touch-icon' }];
  expect(icons.filter((i) => i.type === 'image/png').map((i) => `${i.sizes} ${i.purpose}`)).toEqual([
    '192x192 any',
    '512x512 any',
    '512x512 maskable',
    '180x180 apple-touch-icon',
  ]);
  for (const icon of icons) {
    const res = await fetch(new URL(icon.src, app.kura.origin));
    expect(res.status, icon.src).toBe(200);
    expect(res.headers.get('content-type'), icon.src).toContain(icon.type);
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (icon.type !== 'image/png') continue;
    const [width, height] = icon.sizes.split('x').map(Number);
    expect(pngSize(bytes), icon.src).toEqual({ width, height });
    expect(bytes.byteLength, icon.src).toBeLessThan(30_000);
  }
}, 60_000);

/** src/client/launch.ts as a classic script defining `KuraLaunch`, to run in a page of the built app. */
async function launchModuleScript(): Promise<string> {
  const built = await build({
    configFile: false,
    logLevel: 'error',
    publicDir: false,
    build: { write: false, minify: false, lib: { entry: 'src/client/launch.ts', formats: ['iife'], name: 'KuraLaunch', fileName: 'launch' } },
  });
  const output = (Array.isArray(built) ? built[0] : built) as Rolldown.RolldownOutput;
  return output.output[0].code;
}

test('files shared to the app are kept by the service worker and handed to the page once', async () => {
  const script = await launchModuleScript();
  const context = await app.browser.newContext();
  const page = await context.newPage();
  await loadControlled(page, app.kura.origin + '/');

  // The share sheet POSTs the files as a navigation; a fetch from the page carries the same body
  // and follows the same 303, without loading the app (which would take the share itself).
  const vcard = 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:山田 花子\r\nEND:VCARD\r\n';
  const shared = await page.evaluate(async (vcard) => {
    const form = new FormData();
    form.append('files', new File([vcard], '連絡先.vcf', { type: 'text/vcard' }));
    form.append('files', new File([new Uint8Array([1, 2, 3, 250])], 'photo.jpg', { type: 'image/jpeg' }));
    const response = await fetch('/share-target', { method: 'POST', body: form });
    const cache = await caches.open('kura-shared');
    const entries = await Promise.all(
      (await cache.keys()).map(async (request) => {
        const stored = (await cache.match(request))!;
        return {
          path: new URL(request.url).pathname,
          name: stored.headers.get('X-Kura-Name'),
          type: stored.headers.get('Content-Type'),
          bytes: [...new Uint8Array(await stored.arrayBuffer())],
        };
      }),
    );
    return { redirected: response.redirected, url: response.url, entries: entries.sort((a, b) => a.path.localeCompare(b.path)) };
  }, vcard);
  expect(shared.redirected).toBe(true);
  const id = new URL(shared.url).searchParams.get('shared');
  expect(id).toMatch(/^\d+$/);
  expect(new URL(shared.url).pathname).toBe('/');
  expect(shared.entries).toEqual([
    { path: `/__shared/${id}/0`, name: encodeURIComponent('連絡先.vcf'), type: 'text/vcard', bytes: [...new TextEncoder().encode(vcard)] },
    { path: `/__shared/${id}/1`, name: 'photo.jpg', type: 'image/jpeg', bytes: [1, 2, 3, 250] },
  ]);

  // launch.ts in a document of the origin where the app does not run (so only it takes the share),
  // with a stand-in launchQueue handing over a real file handle, as "Open with Kura" does.
  // The app takes shares itself now (App.svelte), and the service worker answers every navigation
  // with it: unregistered first, so the next document is the plain SVG and only launch.ts reads.
  await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((all) => Promise.all(all.map((r) => r.unregister()))));
  await page.goto(`${app.kura.origin}/icon.svg?shared=${id}#/home`);
  await page.evaluate(script);
  const launched = await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const handle = await root.getFileHandle('trip.ics', { create: true });
    const writable = await handle.createWritable();
    await writable.write('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
    await writable.close();
    // Chromium's own launchQueue (a read-only attribute) never calls back outside an installed app.
    Object.defineProperty(window, 'launchQueue', {
      value: { setConsumer: (consumer: (params: { files: FileSystemHandle[] }) => void) => consumer({ files: [handle, root] }) },
    });
    const { onLaunchFiles } = (globalThis as unknown as { KuraLaunch: typeof import('../../src/client/launch.ts') }).KuraLaunch;
    const batches: { name: string; type: string; text: string }[][] = [];
    await new Promise<void>((resolve) => {
      onLaunchFiles(async (files) => {
        batches.push(await Promise.all(files.map(async (f) => ({ name: f.name, type: f.type, text: await f.text() }))));
        if (batches.length === 2) resolve();
      });
    });
    const left = await (await caches.open('kura-shared')).keys();
    return { batches, address: location.pathname + location.search + location.hash, left: left.length };
  });
  const byName = launched.batches.sort((a, b) => a.length - b.length);
  expect(byName[0]).toEqual([{ name: 'trip.ics', type: 'text/calendar', text: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' }]);
  expect(byName[1]).toEqual([
    { name: '連絡先.vcf', type: 'text/vcard', text: vcard },
    { name: 'photo.jpg', type: 'image/jpeg', text: '\x01\x02\x03\ufffd' },
  ]);
  expect(launched.address).toBe('/icon.svg#/home');
  expect(launched.left).toBe(0);
  await context.close();
}, 60_000);

test('the CSP lets a decrypted PDF show in a blob: frame, and no other frame', async () => {
  const context = await app.browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(app.kura.origin + '/');
  expect(response?.headers()['content-security-policy']).toContain('frame-src blob:;');
  const pdf = '%PDF-1.1\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF';
  const violations = await page.evaluate(async (pdf) => {
    const seen: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => seen.push(e.violatedDirective));
    const frame = (src: string) => {
      const iframe = document.createElement('iframe');
      iframe.src = src;
      document.body.append(iframe);
      return new Promise((resolve) => iframe.addEventListener('load', resolve, { once: true }));
    };
    await frame(URL.createObjectURL(new Blob([pdf], { type: 'application/pdf' })));
    await frame('data:text/html,<p>elsewhere</p>');
    await new Promise((resolve) => setTimeout(resolve, 200));
    return seen;
  }, pdf);
  // One refusal: the data: frame. Chromium's PDF viewer took the blob: one.
  expect(violations).toEqual(['frame-src']);
  await expect.poll(() => page.frames().some((f) => f.url().startsWith('chrome-extension://'))).toBe(true);
  await context.close();
}, 60_000);
