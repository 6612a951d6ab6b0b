/**
 * `npm run bench`, the app's part: the built app served by the real server, in Debian's Chromium,
 * signed in to an account holding a 10,000-photo backup (photo-library.ts).
 *
 * - first_paint_ms: from navigation to the Home screen's heading on screen, the service worker warm
 *   (the app from its precache, the account remembered), median of ROUNDS reloads.
 * - grid_open_ms: from the click on the backup in Browse to the first screen of thumbnails drawn
 *   (every tile in view showing its decrypted image), median of ROUNDS, each after a reload so
 *   nothing is cached in the page.
 * - dropped_frames_pct: frames missed while the grid scrolls at a steady 1,500 px/s for 5 s,
 *   counted from requestAnimationFrame gaps against the display's own frame interval measured idle.
 * - initial_js_kb_gz: the entry script and its preloads, gzip'd (initial-js.ts).
 *
 * Driven through playwright-core: these are page timings, measured inside the page with
 * performance.now(). (DESIGN.md section 9 keeps upload benchmarks off CDP; here the network carries
 * only the manifest and about fifty 5 kB thumbnails.)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../e2e/harness.ts';
import { en, signInThroughUi } from '../e2e/ui.ts';
import { startServer } from '../server/harness.ts';
import { initialJavaScript } from './initial-js.ts';
import { seedPhotoLibrary } from './photo-library.ts';

export interface UiBench {
  readonly first_paint_ms: number;
  readonly grid_open_ms: number;
  readonly dropped_frames_pct: number;
  readonly initial_js_kb_gz: number;
  readonly grid_photos: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Marks when the Home heading first appears, from the very start of the page. */
const HOME_WATCH = `
  new MutationObserver((_, observer) => {
    const h1 = document.querySelector('main h1');
    if (h1 && h1.textContent === ${JSON.stringify(en.home.title)}) {
      window.__homeAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
`;

/** In the page: clicks the backup's link, then waits until every tile in view shows its image. */
const OPEN_GRID = `(async () => {
  const link = [...document.querySelectorAll('main a[href^="#/browse/"]')][0];
  const start = performance.now();
  link.click();
  const inView = (el) => { const r = el.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight && r.width > 0; };
  for (;;) {
    await new Promise((r) => requestAnimationFrame(r));
    const tiles = [...document.querySelectorAll('main .tile')].filter(inView);
    const drawn = tiles.filter((t) => { const img = t.querySelector('img'); return img && img.complete && img.naturalWidth > 0; });
    if (tiles.length >= 12 && drawn.length === tiles.length) return { ms: performance.now() - start, tiles: tiles.length };
    if (performance.now() - start > 60000) throw new Error('the grid did not draw in 60 s');
  }
})()`;

/** In the page: the idle frame interval, then frames missed while scrolling for 5 s. */
const SCROLL = `(async () => {
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const idle = [];
  let last = await frame();
  for (let i = 0; i < 60; i++) { const t = await frame(); idle.push(t - last); last = t; }
  idle.sort((a, b) => a - b);
  const interval = idle[Math.floor(idle.length / 2)];
  let frames = 0, missed = 0;
  const start = last = await frame();
  let y = scrollY;
  while (last - start < 5000) {
    const t = await frame();
    const gap = t - last;
    frames++;
    missed += Math.max(0, Math.round(gap / interval) - 1);
    y += 1.5 * gap;
    scrollTo(0, y);
    last = t;
  }
  return { interval, frames, missed, scrolled: scrollY };
})()`;

export async function uiBench(rounds: number, log: (line: string) => void): Promise<UiBench> {
  const outDir = mkdtempSync(join(tmpdir(), 'kura-bench-dist-'));
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error', '--outDir', outDir, '--emptyOutDir'], {
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
  });
  const server = await startServer({ backend: 'embedded', config: { staticDir: outDir, quotaBytes: 1e12 } });
  const browser = await launchChromium();
  try {
    const js = initialJavaScript(outDir);
    const photos = Number(process.env.KURA_BENCH_PHOTOS ?? 10_000);
    const account = { email: 'gallery@example.jp', passphrase: 'gallery lantern harbour 2026', remember: true };
    log(`App in Chromium: seeding ${photos} photos, signing in...`);
    await seedPhotoLibrary(server.origin, { ...account, photos });

    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB' });
    await context.addInitScript(HOME_WATCH);
    const page = await context.newPage();
    await page.goto(server.origin + '/');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null || navigator.serviceWorker.ready.then(() => true));
    await signInThroughUi(page, account);

    const paints: number[] = [];
    for (let i = 0; i < rounds + 1; i++) {
      await page.reload();
      await page.waitForFunction(() => (window as unknown as { __homeAt?: number }).__homeAt !== undefined);
      const controlled = await page.evaluate(() => navigator.serviceWorker.controller !== null);
      if (i > 0 && controlled) paints.push((await page.evaluate('window.__homeAt')) as number); // the first reload warms it
    }

    const opens: number[] = [];
    for (let i = 0; i < rounds; i++) {
      await page.goto(server.origin + '/#/browse');
      await page.reload();
      await page.locator('main a[href^="#/browse/"]').first().waitFor();
      const opened = (await page.evaluate(OPEN_GRID)) as { ms: number; tiles: number };
      opens.push(opened.ms);
      log(`  grid open ${Math.round(opened.ms)} ms (${opened.tiles} tiles in view)`);
    }
    const scroll = (await page.evaluate(SCROLL)) as { interval: number; frames: number; missed: number; scrolled: number };
    log(`  scrolled ${Math.round(scroll.scrolled)} px in 5 s: ${scroll.frames} frames, ${scroll.missed} missed (frame interval ${scroll.interval.toFixed(1)} ms)`);
    await context.close();
    return {
      first_paint_ms: Math.round(median(paints)),
      grid_open_ms: Math.round(median(opens)),
      dropped_frames_pct: Math.round((scroll.missed / (scroll.frames + scroll.missed)) * 1000) / 10,
      initial_js_kb_gz: Math.round(js.gzipBytes / 102.4) / 10,
      grid_photos: photos,
    };
  } finally {
    await browser.close();
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}
