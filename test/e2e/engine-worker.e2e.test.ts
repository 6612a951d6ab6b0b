/**
 * The engine worker as the page uses it: started from its literal URL, driven through Comlink,
 * reporting progress by callback, its KuraErrors arriving with their codes.
 */
import { expect, test } from 'vitest';
import { useKuraInChromium } from './setup.ts';
import { register } from '../server/harness.ts';
import type { ThumbnailSeen } from './pages/thumbnail-check.ts';
import { BLANK_PAGE } from './harness.ts';

const stage = useKuraInChromium();

test('backup and sync through the engine worker, with progress and typed errors', async () => {
  const { kura, origin, browser } = stage;
  const account = await register(kura);
  const page = await browser.newPage();
  await page.goto(origin + BLANK_PAGE);
  // A string, not a function: vitest would rewrite a function's import() for Node.
  const script = `(async ({ origin, token, deviceId }) => {
      const { startEngine, proxy } = await import(origin + '/src/client/engine/connect.ts');
      const { engine } = startEngine();
      const early = await engine.pending().then(() => 'resolved', (e) => e.name + ':' + e.code);

      const root = await navigator.storage.getDirectory();
      const folder = await root.getDirectoryHandle('mine', { create: true });
      for (const [name, size] of [['a.bin', 2000000], ['b.txt', 10]]) {
        const writable = await (await folder.getFileHandle(name, { create: true })).createWritable();
        await writable.write(crypto.getRandomValues(new Uint8Array(Math.min(size, 65536))));
        if (size > 65536) await writable.write(new Uint8Array(size - 65536).fill(7));
        await writable.close();
      }
      await engine.open({ origin, token, deviceId, masterKey: crypto.getRandomValues(new Uint8Array(32)) });
      const progress = [];
      const backup = await engine.backupFolder('mine', 'Mine', folder, proxy((p) => void progress.push(p.bytesDone)));
      const pendingBefore = await engine.pending();
      const states = [];
      const sync = await engine.sync(proxy((s) => void states.push(s.kind)));
      return { early, files: backup.files, failures: backup.failures, progressGrew: progress.at(-1) >= 2000010 && progress.length > 1,
        pendingBefore, sync, states: [...new Set(states)], pendingAfter: await engine.pending() };
    })(${JSON.stringify({ origin, token: account.token, deviceId: account.deviceId })})`;
  const result = (await page.evaluate(script)) as { pendingBefore: { stagedBytes: number } };
  expect(result).toEqual({
    early: 'KuraError:unauthenticated',
    files: 2,
    failures: [],
    progressGrew: true,
    pendingBefore: { commits: 1, stagedBytes: expect.any(Number) },
    sync: { kind: 'in-sync' },
    states: ['uploading', 'in-sync'],
    pendingAfter: { commits: 0, stagedBytes: 0 },
  });
  expect(result.pendingBefore.stagedBytes).toBeGreaterThan(65_536);
  expect((await (await fetch(`${kura.url}/snapshots`, { headers: { authorization: `Bearer ${account.token}` } })).json()).snapshots).toHaveLength(1);
}, 120_000);

/** Backs up one file through the engine and opens its thumbnail as another device would. */
async function thumbnailOf(fixture: string, name: string, inset: number): Promise<ThumbnailSeen & { original: number }> {
  const { kura, origin, browser } = stage;
  const account = await register(kura);
  const page = await browser.newPage();
  await page.goto(origin + BLANK_PAGE);
  // A string, not a function: vitest would rewrite a function's import() for Node.
  const seen = await page.evaluate(`(async () => {
      const { backUpAndSeeThumbnail } = await import('/test/e2e/pages/thumbnail-check.ts');
      const content = await (${fixture})();
      const seen = await backUpAndSeeThumbnail(${JSON.stringify({ origin, token: account.token, deviceId: account.deviceId })}, ${JSON.stringify(name)}, content, ${inset});
      return { ...seen, original: content.size ?? content.length };
    })()`);
  await page.close();
  return seen as ThumbnailSeen & { original: number };
}

test('a picture gets a real thumbnail, at most 320 px, that another device opens without the original', async () => {
  const thumb = await thumbnailOf(
    `async () => {
      const canvas = new OffscreenCanvas(1200, 600);
      const g = canvas.getContext('2d');
      g.fillStyle = '#c33'; g.fillRect(0, 0, 1200, 600); g.fillStyle = '#33c'; g.fillRect(600, 0, 600, 600);
      return canvas.convertToBlob({ type: 'image/png' });
    }`,
    'wide.png',
    10,
  );
  expect([thumb.width, thumb.height]).toEqual([320, 160]);
  expect(thumb.bytes).toBeLessThan(thumb.original);
  // Red on the left, blue on the right, give or take the lossy encoding.
  expect(thumb.left[0]).toBeGreaterThan(150);
  expect(thumb.left[2]).toBeLessThan(100);
  expect(thumb.right[2]).toBeGreaterThan(150);
}, 120_000);

test('a video gets a thumbnail of its first frame through the engine worker, sealed like a picture\'s', async () => {
  const thumb = await thumbnailOf(
    `async () => (await import('/test/e2e/video-fixture.ts')).makeVideo({ container: 'webm', codec: 'vp9', width: 1280, height: 720, seconds: 1 })`,
    'clip.webm',
    20,
  );
  expect([thumb.path, thumb.width, thumb.height]).toEqual(['clip.webm', 320, 180]);
  expect(thumb.left[0]).toBeGreaterThan(150);
  expect(thumb.left[2]).toBeLessThan(100);
  expect(thumb.right[2]).toBeGreaterThan(150);
}, 120_000);

test('a picked folder and a picked file set are kept across a reload, with its permission read without prompting', async () => {
  const { origin, browser } = stage;
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(origin + BLANK_PAGE);
  const keep = `(async (origin) => {
      const { keepSource } = await import(origin + '/src/client/backup/handles.ts');
      const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('kept', { create: true });
      await (await folder.getFileHandle('note.txt', { create: true })).createWritable().then(async (w) => { await w.write('hello'); await w.close(); });
      await keepSource('kept-source', { kind: 'folder', handle: folder });
      const file = await folder.getFileHandle('note.txt');
      await keepSource('kept-files', { kind: 'files', handles: [file] });
    })(${JSON.stringify(origin)})`;
  await page.evaluate(keep);
  await page.reload();
  const read = `(async (origin) => {
      const { keptSources, reconnectKept } = await import(origin + '/src/client/backup/handles.ts');
      const [files, kept] = await keptSources();
      const reconnected = [await reconnectKept('kept-source'), await reconnectKept('never-kept')];
      const file = await (await kept.handle.getFileHandle('note.txt')).getFile();
      return { sourceId: kept.sourceId, name: kept.handle.name, permission: kept.permission, text: await file.text(),
        files: [files.sourceId, files.kind, files.permission, await (await files.handles[0].getFile()).text()], reconnected };
    })(${JSON.stringify(origin)})`;
  expect(await page.evaluate(read)).toEqual({
    sourceId: 'kept-source',
    name: 'kept',
    permission: 'granted',
    text: 'hello',
    files: ['kept-files', 'files', 'granted', 'hello'],
    reconnected: [true, false],
  });
  await context.close();
});
