/**
 * Journey 4, the fallback for browsers without the File System Access API: a folder picked with
 * `<input type=file webkitdirectory>` is backed up by the engine worker and synced; then restored
 * as a zip, downloaded through an object URL, and every file compared byte for byte, by name and
 * date, with what was picked. Nothing may be fetched from anywhere but the app's own origin.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Uint8ArrayReader, Uint8ArrayWriter, ZipReader } from '@zip.js/zip.js/lib/zip-core-custom.js';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { useKuraInChromium } from './setup.ts';
import { register } from '../server/harness.ts';
import { BLANK_PAGE } from './harness.ts';

const stage = useKuraInChromium();
let temp: string;
beforeAll(() => void (temp = mkdtempSync(join(tmpdir(), 'kura-zip-e2e-'))));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const MTIME = new Date(Date.UTC(2023, 7, 15, 6, 45, 30));

/** The picked folder on disk, keyed by the relative path the input reports ("旅行/…"). */
function pickedFolder(): { folder: string; files: Map<string, Buffer> } {
  const folder = join(temp, '旅行');
  const files = new Map<string, Buffer>([
    ['旅行/写真/夏/海の動画.mp4', randomBytes(3 * 1024 * 1024 + 4321)],
    ['旅行/メモ.txt', Buffer.from('京都で抹茶を飲んだ。\n'.repeat(500))],
    ['旅行/空っぽ.txt', Buffer.alloc(0)],
    ['旅行/a/b/c/deep.bin', randomBytes(70_000)],
  ]);
  for (const [path, bytes] of files) {
    const full = join(temp, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, bytes);
    utimesSync(full, MTIME, MTIME);
  }
  return { folder, files };
}

test('a folder picked with <input webkitdirectory> comes back as a downloaded zip, every file byte for byte', async () => {
  const { kura, origin, browser } = stage;
  const { folder, files } = pickedFolder();
  const account = await register(kura);
  const context = await browser.newContext({ acceptDownloads: true });
  const foreign: string[] = [];
  context.on('request', (r) => {
    const url = new URL(r.url());
    if (!['blob:', 'data:'].includes(url.protocol) && url.origin !== origin) foreign.push(r.url());
  });
  const page = await context.newPage();
  await page.goto(origin + BLANK_PAGE);
  await page.evaluate(`(() => {
      const input = Object.assign(document.createElement('input'), { type: 'file', id: 'pick', multiple: true, webkitdirectory: true });
      document.body.append(input);
    })()`);
  await page.setInputFiles('#pick', folder);

  // A string, not a function: vitest would rewrite a function's import() for Node.
  const script = `(async ({ origin, token, deviceId }) => {
      const { startEngine, proxy } = await import(origin + '/src/client/engine/connect.ts');
      const [{ deriveAccountKeys }, { ApiClient }, { manifestOf }] = await Promise.all([
        import(origin + '/src/core/crypto/subkeys.ts'), import(origin + '/src/client/api/client.ts'), import(origin + '/src/client/browse.ts'),
      ]);
      const picked = [...document.querySelector('#pick').files];
      const masterKey = crypto.getRandomValues(new Uint8Array(32));
      const { engine } = startEngine();
      await engine.open({ origin, token, deviceId, masterKey });
      const backup = await engine.backupFiles('travel', '旅行', picked);
      const sync = await engine.sync();

      const keys = await deriveAccountKeys(masterKey);
      const api = new ApiClient({ origin, token });
      const [summary] = await api.snapshots();
      const snapshot = await manifestOf(api, keys, summary.id);
      const progress = [];
      const { file, results } = await engine.restoreToZip(snapshot.entries, proxy((r, i, n) => void progress.push([i, n])));
      const link = Object.assign(document.createElement('a'), { id: 'download', href: URL.createObjectURL(file), download: 'kura-旅行.zip', textContent: 'Download' });
      document.body.append(link);
      window.kuraEngine = engine;
      return { picked: picked.map((f) => f.webkitRelativePath).sort(), backup: { files: backup.files, failures: backup.failures }, sync,
        results, progress, zipName: file.name, zipSize: file.size };
    })(${JSON.stringify({ origin, token: account.token, deviceId: account.deviceId })})`;
  const run = (await page.evaluate(script)) as { results: { path: string; status: string }[]; zipName: string; zipSize: number };
  const paths = [...files.keys()].sort();
  expect(run).toMatchObject({
    picked: paths,
    backup: { files: files.size, failures: [] },
    sync: { kind: 'in-sync' },
    progress: paths.map((_, i) => [i, files.size]),
    zipName: expect.stringMatching(/^kura-restore-.*\.zip$/),
  });
  expect(run.results.map((r) => [r.path, r.status]).sort()).toEqual(paths.map((p) => [p, 'restored']));

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  expect(download.suggestedFilename()).toBe('kura-旅行.zip');
  const saved = join(temp, 'downloaded.zip');
  await download.saveAs(saved);
  const zip = readFileSync(saved);
  expect(zip.length).toBe(run.zipSize);

  const reader = new ZipReader(new Uint8ArrayReader(new Uint8Array(zip)));
  const entries = (await reader.getEntries()).filter((e) => !e.directory);
  expect(entries.map((e) => e.filename).sort()).toEqual(paths);
  for (const entry of entries) {
    const bytes = await entry.getData!(new Uint8ArrayWriter());
    expect(Buffer.compare(bytes, files.get(entry.filename)!), entry.filename).toBe(0);
    expect(entry.lastModDate.getTime(), entry.filename).toBe(MTIME.getTime());
  }
  await reader.close();

  // Once downloaded, the zip can go: nothing is left behind in the origin's storage.
  expect(await page.evaluate('window.kuraEngine.clearDownloads()')).toBe(1);
  expect(foreign).toEqual([]);
  await context.close();
}, 180_000);

test('a cancelled zip restore rejects with cancelled and leaves no file behind', async () => {
  const { kura, origin, browser } = stage;
  const { folder } = pickedFolder();
  const account = await register(kura);
  const context = await browser.newContext();
  // Chunk downloads wait until the page has asked for the cancel: the cancel must land mid-zip.
  let heldChunks = 0;
  let cancelAsked!: () => void;
  const cancelled = new Promise<void>((resolve) => (cancelAsked = resolve));
  await context.exposeFunction('kuraCancelAsked', () => cancelAsked());
  const page = await context.newPage();
  await page.goto(origin + BLANK_PAGE);
  await page.evaluate(`document.body.append(Object.assign(document.createElement('input'), { type: 'file', id: 'pick', multiple: true, webkitdirectory: true }))`);
  await page.setInputFiles('#pick', folder);
  const script = `(async ({ origin, token, deviceId }) => {
      const { startEngine, proxy } = await import(origin + '/src/client/engine/connect.ts');
      const [{ deriveAccountKeys }, { ApiClient }, { manifestOf }] = await Promise.all([
        import(origin + '/src/core/crypto/subkeys.ts'), import(origin + '/src/client/api/client.ts'), import(origin + '/src/client/browse.ts'),
      ]);
      const masterKey = crypto.getRandomValues(new Uint8Array(32));
      const { engine } = startEngine();
      await engine.open({ origin, token, deviceId, masterKey });
      await engine.backupFiles('travel', '旅行', [...document.querySelector('#pick').files]);
      await engine.sync();
      const keys = await deriveAccountKeys(masterKey);
      const api = new ApiClient({ origin, token });
      const [summary] = await api.snapshots();
      const { entries } = await manifestOf(api, keys, summary.id);
      // The empty file first (no chunk to fetch), then one that needs chunks: cancel after the first.
      const selection = [entries.find((e) => e.size === 0), entries.find((e) => e.size > 1000000)];
      const outcome = await engine.restoreToZip(selection, proxy(async (r, i) => {
        if (i === 0) { await engine.cancelZip(); await window.kuraCancelAsked(); }
      })).then(() => 'resolved', (e) => e.name + ':' + e.code);
      const downloads = await (await navigator.storage.getDirectory()).getDirectoryHandle('kura-downloads', { create: true });
      const left = [];
      for await (const name of downloads.keys()) left.push(name);
      return { outcome, left };
    })(${JSON.stringify({ origin, token: account.token, deviceId: account.deviceId })})`;
  await context.route('**/api/v1/chunks/*', async (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    heldChunks++;
    await cancelled;
    await route.continue();
  });
  expect(await page.evaluate(script)).toEqual({ outcome: 'KuraError:cancelled', left: [] });
  expect(heldChunks).toBeGreaterThan(0);
  await context.close();
}, 180_000);
