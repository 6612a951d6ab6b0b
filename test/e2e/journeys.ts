/**
 * Node-side helpers shared by the Chromium journeys: a page on the dev server, controlled by the
 * offline shell (so it can reload with the network off) and with the journey helpers loaded as
 * `window.j`; file sets with Japanese names and nested folders.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { FileSpec } from './pages/journey.ts';
import { BLANK_PAGE } from './harness.ts';

export async function journeyPage(context: BrowserContext, origin: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(origin + BLANK_PAGE);
  const controlled = await page.evaluate(`(async () => {
    if (navigator.serviceWorker.controller) return true;
    const changed = new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve));
    await navigator.serviceWorker.register('/__offline-shell.js');
    await changed;
    return false;
  })()`);
  // Loaded once more under the worker, so the page itself and its scripts are kept for offline.
  if (!controlled) await page.reload();
  await loadHelpers(page);
  return page;
}

/** Imports the page helpers (and, through them, the engine and its worker) as window.j. */
export async function loadHelpers(page: Page): Promise<void> {
  await page.evaluate(`import('/test/e2e/pages/journey.ts').then((j) => { window.j = j; })`);
}

/** A deterministic pseudo-random generator for choosing sizes and crash points (seed logged). */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const FOLDERS = ['アルバム/2026年', 'アルバム/2026年/京都', 'documents', 'documents/請求書', 'music/ライブ', ''];

/** `count` files across nested folders with Japanese names, of 1 byte to `maxSize` bytes. */
export function fileSet(count: number, maxSize: number, random: () => number): FileSpec[] {
  return Array.from({ length: count }, (_, i) => {
    const folder = FOLDERS[i % FOLDERS.length]!;
    const name = i % 3 === 0 ? `写真_${String(i).padStart(4, '0')}.jpg` : i % 3 === 1 ? `メモ ${i}.txt` : `file-${i}.bin`;
    return { path: folder ? `${folder}/${name}` : name, size: 1 + Math.floor(random() * maxSize), seed: i + 1 };
  });
}
