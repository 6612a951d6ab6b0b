/**
 * Real-Chromium harness (DESIGN.md section 8): Debian's /usr/bin/chromium driven by playwright-core,
 * never a downloaded browser, with the flags this machine needs and a fresh profile per launch.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { createServer, type Plugin, type ViteDevServer } from 'vite';

export const CHROMIUM = process.env.KURA_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches Chromium; playwright's launch() gives each browser a fresh temporary profile. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/**
 * Chromium with an on-disk profile in a fresh temporary folder. launch()'s contexts are incognito,
 * where OPFS lives in memory; here it lives on disk, so a test can make a large sparse file.
 */
export async function launchPersistentChromium(): Promise<{ context: BrowserContext; profile: string; close: () => Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'kura-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  return {
    context,
    profile,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Every dependency the engine and its worker import, pre-bundled when a dev server starts: one
 * found later makes Vite re-optimise and reload the page in the middle of a test or benchmark.
 */
export const PREBUNDLED = ['hash-wasm', 'zod', 'svelte', 'dexie', 'comlink', 'idb-keyval', '@zip.js/zip.js/lib/zip-core-custom.js', 'mediabunny'];

/**
 * The Vite dev server on an ephemeral loopback port, so pages can import src/ modules directly;
 * with `api`, /api is proxied to a Kura server, so the page talks to it from its own origin.
 */
export async function startDevServer(api?: string, plugins: Plugin[] = []): Promise<{ server: ViteDevServer; url: string }> {
  const server = await createServer({
    logLevel: 'error',
    plugins: [offlineShell, ...plugins],
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, ...(api ? { proxy: { '/api': api } } : {}) },
    // Pre-bundled up front, so a late discovery cannot reload the page in the middle of a test; and
    // no scan of index.html: bundling the whole app's dependencies (the strength meter's dictionaries
    // among them) would load the CPU during the first minute of every engine test, which no page
    // here imports.
    optimizeDeps: { include: PREBUNDLED, entries: [] },
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('the dev server did not report its address');
  return { server, url };
}

/**
 * The dev server's stand-in for the built app's precache, so a test page can reload with the
 * network off: a service worker at /__offline-shell.js answers every GET but /api from the network
 * and keeps a copy, and from that copy when the network is gone. Load every module a test needs
 * before going offline.
 */
const OFFLINE_SHELL = `
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  e.respondWith((async () => {
    const cache = await caches.open('dev-shell');
    try {
      const response = await fetch(e.request);
      if (response.ok) await cache.put(e.request, response.clone());
      return response;
    } catch {
      return (await cache.match(e.request, { ignoreVary: true })) ?? Response.error();
    }
  })());
});`;

/**
 * A blank page of the dev server's origin for the engine's tests: '/' would mount the app, whose own
 * engine worker would then unlock the account and sync beside the test's.
 */
export const BLANK_PAGE = '/__blank.html';

const offlineShell: Plugin = {
  name: 'kura-test-offline-shell',
  configureServer(server) {
    server.middlewares.use(BLANK_PAGE, (_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end('<!doctype html><html lang="en"><meta charset="utf-8"><title>Kura engine test</title><body></body></html>');
    });
    server.middlewares.use('/__offline-shell.js', (_req, res) => {
      res.setHeader('content-type', 'text/javascript');
      res.end(OFFLINE_SHELL);
    });
  },
};
