/**
 * The core runs unchanged in a real browser page and in a module worker, and agrees with Node
 * byte for byte: the same master key gives the same chunk ids and file hash everywhere, which is
 * what makes dedup work across devices.
 */
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deriveAccountKeys } from '../../src/core/crypto/subkeys.ts';
import { sealFile } from '../../src/core/pipeline/backup.ts';
import { collect, pseudoRandomBytes } from '../core/helpers.ts';
import { launchChromium, startDevServer } from './harness.ts';
import { CATALOGUES } from '../../src/app/i18n/index.ts';

const MASTER_KEY = new Uint8Array(32).fill(0x5a);
const SIZE = 6 * 1024 * 1024 + 77;
const SEED = 4242;

/**
 * Runs in the page or in a worker: derives keys from a fixed master key, backs up pseudo-random
 * data through a Blob stream, restores it, checks a tampered envelope is refused, and runs the
 * Argon2id reference vector. Written as a string so it can run in both places unchanged.
 */
const ROUND_TRIP = `
  const [{ deriveAccountKeys }, { sealFile }, { openFile }, { hashWasmArgon2 }, { toHex, utf8 }] = await Promise.all([
    import(ORIGIN + '/src/core/crypto/subkeys.ts'),
    import(ORIGIN + '/src/core/pipeline/backup.ts'),
    import(ORIGIN + '/src/core/pipeline/restore.ts'),
    import(ORIGIN + '/src/core/crypto/kdf.ts'),
    import(ORIGIN + '/src/core/bytes.ts'),
  ]);
  const keys = await deriveAccountKeys(new Uint8Array(32).fill(0x5a));
  const data = new Uint8Array(${SIZE});
  const words = new Uint32Array(data.buffer, 0, data.length >>> 2);
  let x = ${SEED};
  for (let i = 0; i < words.length; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; words[i] = x >>> 0; }
  for (let i = words.length * 4; i < data.length; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; data[i] = x & 0xff; }
  const store = new Map();
  let entry;
  for await (const item of sealFile(new Blob([data]).stream(), keys, { path: 'a.bin', lastModified: 1, type: '', size: data.length })) {
    if (item.kind === 'chunk' && item.envelope) store.set(item.id, new Uint8Array(await new Blob(item.envelope).arrayBuffer()));
    if (item.kind === 'file') entry = item.entry;
  }
  const parts = [];
  for await (const p of openFile(entry, keys, async (id) => store.get(id))) parts.push(p);
  const restored = new Uint8Array(await new Blob(parts).arrayBuffer());
  let same = restored.length === data.length;
  for (let i = 0; same && i < data.length; i++) same = restored[i] === data[i];
  const bad = store.get(entry.chunks[0]).slice();
  bad[bad.length - 1] ^= 1;
  store.set(entry.chunks[0], bad);
  let tamper = 'accepted';
  try { for await (const _ of openFile(entry, keys, async (id) => store.get(id))) {} } catch (e) { tamper = e.code; }
  const argon = toHex(await hashWasmArgon2(utf8('password'), { alg: 'argon2id', m: 256, t: 2, p: 1, salt: utf8('somesalt') }, 32));
  return { chunks: entry.chunks, hash: entry.hash, same, tamper, argon };
`;

interface RoundTrip {
  chunks: string[];
  hash: string;
  same: boolean;
  tamper: string;
  argon: string;
}

let browser: Browser;
let server: ViteDevServer;
let origin: string;
let page: Page;

beforeAll(async () => {
  const dev = await startDevServer();
  server = dev.server;
  origin = dev.url.replace(/\/$/, '');
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(dev.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function expectedFromNode(): Promise<{ chunks: string[]; hash: string }> {
  const keys = await deriveAccountKeys(MASTER_KEY);
  const items = await collect(sealFile([pseudoRandomBytes(SIZE, SEED)], keys, { path: 'a.bin', lastModified: 1, type: '' }));
  const last = items.at(-1)!;
  if (last.kind !== 'file') throw new Error('no file entry');
  return { chunks: [...last.entry.chunks], hash: last.entry.hash };
}

describe('the core in Chromium', () => {
  test('the app entry mounts: the first run asks for a language, under the product name', async () => {
    await expect(page.locator('h1').textContent()).resolves.toMatch(new RegExp(`^(${CATALOGUES.en.onboarding.language.title}|${CATALOGUES.ja.onboarding.language.title})$`));
    await expect(page.locator('body').textContent()).resolves.toContain('Kura');
  });

  test('backs up and restores in the page, agreeing with Node', async () => {
    const result = (await page.evaluate(
      `(async (ORIGIN) => { ${ROUND_TRIP} })(${JSON.stringify(origin)})`,
    )) as RoundTrip;
    const node = await expectedFromNode();
    expect(result.same).toBe(true);
    expect(result.tamper).toBe('envelope-auth-failed');
    expect(result.argon).toBe('9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe');
    expect(result.chunks.length).toBeGreaterThan(2);
    expect(result).toMatchObject(node);
  }, 60_000);

  test('backs up and restores in a module worker, agreeing with Node', async () => {
    const result = (await page.evaluate(async ([ORIGIN, body]) => {
      const source = `self.onmessage = async () => { try { const ORIGIN = ${JSON.stringify(ORIGIN)}; postMessage({ ok: await (async () => { ${body} })() }); } catch (e) { postMessage({ error: String(e && e.stack || e) }); } };`;
      const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type: 'module' });
      const reply = await new Promise<{ ok?: unknown; error?: string }>((resolve) => {
        worker.onmessage = (event) => resolve(event.data);
        worker.onerror = (event) => resolve({ error: event.message });
        worker.postMessage('go');
      });
      worker.terminate();
      if (reply.error) throw new Error(reply.error);
      return reply.ok;
    }, [origin, ROUND_TRIP] as const)) as RoundTrip;
    expect(result.same).toBe(true);
    expect(result.tamper).toBe('envelope-auth-failed');
    expect(result).toMatchObject(await expectedFromNode());
  }, 60_000);
});
