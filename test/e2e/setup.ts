/**
 * The usual stage of a Chromium test file, set up once before its tests and torn down after: a
 * real Kura server, the Vite dev server proxying /api to it (so pages import src/ modules from the
 * same origin), and Chromium, with incognito contexts or one on-disk profile.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Plugin, ViteDevServer } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium, launchPersistentChromium, startDevServer } from './harness.ts';
import { startServer, type TestServer } from '../server/harness.ts';
import type { ServerConfig } from '../../server/config.ts';

export interface Stage {
  readonly kura: TestServer;
  /** The dev server's origin, without a trailing slash. */
  readonly origin: string;
  /** For incognito contexts (OPFS in memory), when not `persistent`. */
  readonly browser: Browser;
  /** The on-disk profile's context and folder, when `persistent`. */
  readonly persistent: { readonly context: BrowserContext; readonly profile: string };
}

export function useKuraInChromium(options: { persistent?: boolean; plugins?: Plugin[] } = {}): Stage {
  const stage = {} as { -readonly [K in keyof Stage]: Stage[K] };
  let dev: ViteDevServer | undefined;
  let closeProfile: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    stage.kura = await startServer();
    const started = await startDevServer(stage.kura.origin, options.plugins);
    dev = started.server;
    stage.origin = started.url.replace(/\/$/, '');
    if (options.persistent) {
      const { context, profile, close } = await launchPersistentChromium();
      stage.persistent = { context, profile };
      closeProfile = close;
    } else {
      stage.browser = await launchChromium();
    }
  }, 60_000);
  afterAll(async () => {
    await closeProfile?.();
    await stage.browser?.close();
    await dev?.close();
    await stage.kura?.close();
  });
  return stage;
}

/**
 * The built app, served by a Kura server as in production, and Chromium. Built in a child process
 * with NODE_ENV=production: under vitest NODE_ENV is 'test', which would build the app with
 * import.meta.env.PROD false, and so without its service worker.
 */
export function useBuiltApp(config: Partial<ServerConfig> = {}): { readonly kura: TestServer; readonly browser: Browser; readonly outDir: string } {
  const stage = {} as { kura: TestServer; browser: Browser; outDir: string };
  beforeAll(async () => {
    stage.outDir = mkdtempSync(join(tmpdir(), 'kura-dist-'));
    execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error', '--outDir', stage.outDir, '--emptyOutDir'], {
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: 'inherit',
    });
    stage.kura = await startServer({ config: { ...config, staticDir: stage.outDir } });
    stage.browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await stage.browser?.close();
    await stage.kura?.close();
    if (stage.outDir) rmSync(stage.outDir, { recursive: true, force: true });
  });
  return stage;
}

/** A page of the built app, loaded twice so that its service worker controls it. */
export async function controlledPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
  return page;
}
