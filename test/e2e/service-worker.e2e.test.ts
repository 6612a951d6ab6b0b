/**
 * The built app's service worker in real Chromium: a new version is announced to the page and
 * takes over when the user accepts; a Background Sync registration wakes the page's sync engine.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { controlledPage, useBuiltApp } from './setup.ts';

const app = useBuiltApp();

test('a new version is announced, and takes over when accepted', async () => {
  const context = await app.browser.newContext();
  const page = await controlledPage(context, app.kura.origin + '/');
  const first = await page.evaluate(() => navigator.serviceWorker.controller!.scriptURL);

  // A new deployment: the worker's bytes change.
  appendFileSync(join(app.outDir, 'sw.js'), '\n// next version\n');
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
  const context = await app.browser.newContext();
  const page = await controlledPage(context, app.kura.origin + '/');
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
