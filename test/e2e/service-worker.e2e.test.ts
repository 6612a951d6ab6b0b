/**
 * The built app's service worker in real Chromium: a new version is announced to the page and
 * takes over when the user accepts; a Background Sync registration wakes the page's sync engine.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from './harness.ts';
import { startServer, type TestServer } from '../server/harness.ts';

let outDir: string;
let kura: TestServer;
let browser: Browser;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'kura-dist-'));
  // NODE_ENV=production in a child process: under vitest the build would leave the worker out.
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error', '--outDir', outDir, '--emptyOutDir'], {
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
  kura = await startServer({ config: { staticDir: outDir } });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await kura?.close();
  rmSync(outDir, { recursive: true, force: true });
});

test('a new version is announced, and takes over when accepted', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(kura.origin + '/');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
  const first = await page.evaluate(() => navigator.serviceWorker.controller!.scriptURL);

  // A new deployment: the worker's bytes change.
  appendFileSync(join(outDir, 'sw.js'), '\n// next version\n');
  await page.evaluate(() => {
    (window as unknown as { announced: Promise<boolean> }).announced = new Promise((resolve) =>
      window.addEventListener('kura:update-ready', (e) => {
        resolve(true);
        (e as CustomEvent<{ activate: () => void }>).detail.activate();
      }),
    );
  });
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r!.update()));
  const reloaded = page.waitForEvent('load', { timeout: 30_000 });
  expect(await page.evaluate(() => (window as unknown as { announced: Promise<boolean> }).announced)).toBe(true);
  await reloaded;
  const state = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return { waiting: registration?.waiting ?? null, controlled: navigator.serviceWorker.controller?.state };
  });
  expect(state).toEqual({ waiting: null, controlled: 'activated' });
  expect(first).toContain('/sw.js');
  await context.close();
}, 120_000);

test('a Background Sync registration wakes the page', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(kura.origin + '/');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
  const woken = await page.evaluate(async () => {
    const registration = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & { sync: { register(tag: string): Promise<void> } };
    const message = new Promise<unknown>((resolve) => navigator.serviceWorker.addEventListener('message', (e) => resolve(e.data)));
    navigator.serviceWorker.startMessages();
    await registration.sync.register('kura-sync');
    return message;
  });
  expect(woken).toEqual({ type: 'kura-sync' });
  await context.close();
}, 120_000);
