/**
 * The built app, served by the Kura server, with its service worker: once loaded it starts with no
 * network at all, from the precached shell.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium } from './harness.ts';
import { startServer, type TestServer } from '../server/harness.ts';

let outDir: string;
let kura: TestServer;
let browser: Browser;
let appUrl: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'kura-dist-'));
  // A production build in its own process: under vitest NODE_ENV is 'test', which would build
  // the app with import.meta.env.PROD false (and so without its service worker).
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error', '--outDir', outDir, '--emptyOutDir'], {
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
  kura = await startServer({ config: { staticDir: outDir } });
  appUrl = kura.origin + '/';
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await kura?.close();
  rmSync(outDir, { recursive: true, force: true });
});

test('after one visit the app starts offline', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(appUrl);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });

  await context.setOffline(true);
  expect(await page.evaluate(() => fetch('/api/v1/health').then(() => 'online', () => 'offline'))).toBe('offline');
  await page.reload();
  await expect(page.locator('h1').textContent()).resolves.toContain('Kura');
  expect(await page.evaluate(() => document.querySelector('link[rel="manifest"]')?.getAttribute('href'))).toBe('/manifest.webmanifest');

  await context.close();
}, 120_000);
