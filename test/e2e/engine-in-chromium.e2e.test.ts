/**
 * The browser engine in real Chromium: a folder (an OPFS directory standing in for a picked one)
 * is backed up in a module worker (staging through sync access handles, the database in real
 * IndexedDB), synced to a real Kura server, and restored into another folder by a second,
 * separate browser profile: every file byte for byte.
 */
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium, startDevServer, BLANK_PAGE } from './harness.ts';
import { register, startServer, type TestServer } from '../server/harness.ts';

let kura: TestServer;
let dev: ViteDevServer;
let origin: string;
const browsers: Browser[] = [];

beforeAll(async () => {
  kura = await startServer({ backend: 'embedded' });
  const started = await startDevServer(kura.origin);
  dev = started.server;
  origin = started.url.replace(/\/$/, '');
}, 60_000);

afterAll(async () => {
  for (const b of browsers) await b.close();
  await dev?.close();
  await kura?.close();
});

/** A page of a fresh browser profile; its storage (OPFS, IndexedDB) lasts as long as the browser. */
async function profile(): Promise<Page> {
  const browser = await launchChromium();
  browsers.push(browser);
  const page = await browser.newPage();
  await page.goto(origin + BLANK_PAGE);
  return page;
}

/** Runs `body` (a function body with ORIGIN and ARGS in scope) in a module worker of the page. */
async function inWorker<T>(page: Page, body: string, args: unknown): Promise<T> {
  return page.evaluate(
    async ([ORIGIN, source, args]) => {
      const code = `self.onmessage = async (e) => { try { const ORIGIN = ${JSON.stringify(ORIGIN)}; const ARGS = e.data; postMessage({ ok: await (async () => { ${source} })() }); } catch (err) { postMessage({ error: String(err && err.stack || err) + ' ' + JSON.stringify(err && err.details || {}) }); } };`;
      const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })), { type: 'module' });
      const reply = await new Promise<{ ok?: unknown; error?: string }>((resolve) => {
        worker.onmessage = (event) => resolve(event.data);
        worker.onerror = (event) => resolve({ error: event.message });
        worker.postMessage(args);
      });
      worker.terminate();
      if (reply.error) throw new Error(reply.error);
      return reply.ok;
    },
    [origin, body, args] as const,
  ) as Promise<T>;
}

const IMPORTS = `
  const im = (p) => import(ORIGIN + p);
  const [{ KuraDb }, { OpfsStaging }, { sourceFromDirectory }, { runBackup }, { ApiClient }, { SyncEngine }, { deriveAccountKeys }, { openSnapshot }, { restoreToFolder }, { fromBase64Url }] = await Promise.all([
    im('/src/client/db/database.ts'), im('/src/client/staging/opfs.ts'), im('/src/client/backup/folder.ts'), im('/src/client/backup/run.ts'),
    im('/src/client/api/client.ts'), im('/src/client/sync/engine.ts'), im('/src/core/crypto/subkeys.ts'), im('/src/core/manifest/seal.ts'),
    im('/src/client/restore/to-folder.ts'), im('/src/core/bytes.ts'),
  ]);
  const keys = await deriveAccountKeys(new Uint8Array(ARGS.masterKey));
  const root = await navigator.storage.getDirectory();
`;

test('back up a folder in a worker, sync, and restore it on another profile byte for byte', async () => {
  const account = await register(kura);
  const masterKey = Array.from(crypto.getRandomValues(new Uint8Array(32)));
  const [laptop, other] = [await profile(), await profile()];

  // The "picked folder": nested, Japanese names, an empty file, a 5 MiB file, Finder clutter.
  const made = await inWorker<Record<string, string>>(
    laptop,
    `
    const root = await navigator.storage.getDirectory();
    const picked = await root.getDirectoryHandle('picked', { create: true });
    const files = { '写真/京都/金閣寺.jpg': 300000, '写真/空.txt': 0, 'docs/report.pdf': 5 * 1024 * 1024 + 7, 'docs/.DS_Store': 10, 'a/b/c/d.txt': 1000 };
    const digests = {};
    let seed = 7;
    for (const [path, size] of Object.entries(files)) {
      const parts = path.split('/');
      let dir = picked;
      for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p, { create: true });
      const bytes = new Uint8Array(size);
      for (let i = 0; i < size; i++) { seed = (seed * 1103515245 + 12345) >>> 0; bytes[i] = seed >>> 24; }
      const handle = await dir.getFileHandle(parts.at(-1), { create: true });
      const w = await handle.createSyncAccessHandle(); w.write(bytes); w.flush(); w.close();
      digests[path] = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))).join(',');
    }
    return digests;
    `,
    {},
  );

  const backup = await inWorker<{ result: { files: number; failures: unknown[] }; sync: { kind: string } }>(
    laptop,
    `${IMPORTS}
    const db = new KuraDb('kura-e2e');
    const staging = await OpfsStaging.open();
    const source = sourceFromDirectory('picked', await root.getDirectoryHandle('picked'));
    const result = await runBackup({ db, staging, keys, deviceId: ARGS.deviceId, source, sourceName: 'Picked' });
    const api = new ApiClient({ origin: ORIGIN, token: ARGS.token });
    const sync = await new SyncEngine({ db, staging, api }).run();
    return { result: { files: result.files, failures: result.failures }, sync };
    `,
    { masterKey, deviceId: account.deviceId, token: account.token },
  );
  expect(backup).toEqual({ result: { files: 4, failures: [] }, sync: { kind: 'in-sync' } });

  const restored = await inWorker<{ results: { path: string; status: string }[]; digests: Record<string, string> }>(
    other,
    `${IMPORTS}
    const api = new ApiClient({ origin: ORIGIN, token: ARGS.token });
    const [summary] = await api.snapshots();
    const stored = await api.snapshot(summary.id);
    const manifest = await openSnapshot(keys.manifest, fromBase64Url(stored.sealed), { id: summary.id });
    const target = await root.getDirectoryHandle('restored', { create: true });
    const results = await restoreToFolder(target, manifest.entries, { keys, fetchEnvelope: (id) => api.getChunk(id), collision: 'overwrite' });
    const digests = {};
    for (const entry of manifest.entries) {
      let dir = target;
      const parts = entry.path.split('/');
      for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p);
      const file = await (await dir.getFileHandle(parts.at(-1))).getFile();
      digests[entry.path] = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()))).join(',');
    }
    return { results: results.map((r) => ({ path: r.path, status: r.status })), digests };
    `,
    { masterKey, token: account.token },
  );
  expect(restored.results.every((r) => r.status === 'restored')).toBe(true);
  const { ['docs/.DS_Store']: _skipped, ...expected } = made;
  expect(restored.digests).toEqual(expected);
}, 120_000);
