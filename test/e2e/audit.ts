/**
 * Audits for the journey tests in real Chromium: installability as Chromium judges it, axe-core's
 * WCAG 2.2 AA rules, and Lighthouse's performance, accessibility and best-practices scores. Each
 * returns a compact, printable result, so `expect(result).toEqual([])` says what to fix.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import lighthouse, { desktopConfig } from 'lighthouse';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './harness.ts';

/**
 * Why Chromium would not offer to install the page's app, as `errorId (name=value, …)` lines;
 * empty when installable. The page must have loaded, in an on-disk profile (harness.ts's
 * launchPersistentChromium, or launchDebuggableChromium below): an incognito context, as
 * launch()'s are, always answers `in-incognito`.
 */
export async function installabilityErrors(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { installabilityErrors: errors } = await cdp.send('Page.getInstallabilityErrors');
    return errors.map(({ errorId, errorArguments }) =>
      errorArguments.length === 0 ? errorId : `${errorId} (${errorArguments.map(({ name, value }) => `${name}=${value}`).join(', ')})`,
    );
  } finally {
    await cdp.detach();
  }
}

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  /** How many elements fail. */
  readonly nodes: number;
  /** The first three failing elements' selectors (`a >>> b` crosses a frame or shadow root). */
  readonly targets: string[];
}

/**
 * axe-core's WCAG 2.0-2.2 A/AA violations on the page as it is now (wait for the screen to settle
 * first). `include`/`exclude` are CSS selectors limiting the scan. axe is injected through the
 * DevTools protocol, which the app's CSP (no inline script) does not block.
 */
export async function axeViolations(page: Page, scope: { include?: string | string[]; exclude?: string | string[] } = {}): Promise<AxeViolation[]> {
  const builder = new AxeBuilder({ page }).withTags(WCAG_TAGS);
  for (const selector of [scope.include ?? []].flat()) builder.include(selector);
  for (const selector of [scope.exclude ?? []].flat()) builder.exclude(selector);
  const { violations } = await builder.analyze();
  return violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? null,
    help: v.help,
    nodes: v.nodes.length,
    targets: v.nodes.slice(0, 3).map((node) => node.target.map((part) => (Array.isArray(part) ? part.join(' >>> ') : String(part))).join(' >>> ')),
  }));
}

/**
 * Chromium with an on-disk profile (like harness.ts's launchPersistentChromium) that also listens
 * for DevTools on a loopback port, so Lighthouse can audit in the same profile: set up a state with
 * `context` (sign in, let the service worker cache the app), then `runLighthouse(url, { port,
 * keepStorage: true })`. No viewport emulation from Playwright: Lighthouse sets its own.
 */
export async function launchDebuggableChromium(): Promise<{ context: BrowserContext; port: number; close: () => Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'kura-lighthouse-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS, '--remote-debugging-port=0'],
    headless: true,
    viewport: null,
  });
  // Chromium writes the port it picked (0: any free one) into the profile as it starts listening.
  const port = Number((await readFile(join(profile, 'DevToolsActivePort'), 'utf8')).split('\n')[0]);
  return {
    context,
    port,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export interface LighthouseScores {
  /** Category scores, 0 to 1. */
  readonly performance: number;
  readonly accessibility: number;
  readonly bestPractices: number;
  /** Audits below Lighthouse's pass mark (0.9), worst first; informative ones left out. */
  readonly failedAudits: { id: string; title: string; score: number }[];
}

export interface LighthouseOptions {
  /** A Chromium from launchDebuggableChromium(); without it one is started and closed for the run. */
  readonly port?: number;
  /** 'desktop' (the default: Lighthouse's desktop config, no CPU slowdown) or 'mobile'. */
  readonly formFactor?: 'desktop' | 'mobile';
  /**
   * Keep the origin's storage (sign-in, IndexedDB, the service worker and its caches); by default
   * Lighthouse clears it first, auditing a first visit.
   */
  readonly keepStorage?: boolean;
}

/**
 * Lighthouse 12 on `url` (a navigation: the page loads in a new tab of that Chromium), for the
 * performance, accessibility and best-practices categories. Throws with Lighthouse's reason when
 * the run fails (for example NO_FCP when the page paints nothing).
 */
export async function runLighthouse(url: string, options: LighthouseOptions = {}): Promise<LighthouseScores> {
  const own = options.port === undefined ? await launchDebuggableChromium() : undefined;
  try {
    const port = options.port ?? own!.port;
    const result = await lighthouse(
      url,
      {
        port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices'],
        disableStorageReset: options.keepStorage ?? false,
        // A page that paints nothing fails in 15 s (NO_FCP) rather than Lighthouse's 30.
        maxWaitForFcp: 15_000,
      },
      (options.formFactor ?? 'desktop') === 'desktop' ? desktopConfig : undefined,
    );
    if (!result) throw new Error('Lighthouse returned no result');
    const { lhr } = result;
    if (lhr.runtimeError) throw new Error(`Lighthouse could not audit ${url}: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
    const score = (category: string): number => {
      const value = lhr.categories[category]?.score;
      if (typeof value !== 'number') throw new Error(`Lighthouse gave no ${category} score for ${url}`);
      return value;
    };
    const failedAudits = Object.values(lhr.audits)
      .filter((a) => typeof a.score === 'number' && a.score < 0.9 && (a.scoreDisplayMode === 'binary' || a.scoreDisplayMode === 'numeric' || a.scoreDisplayMode === 'metricSavings'))
      .map((a) => ({ id: a.id, title: a.title, score: a.score as number }))
      .sort((a, b) => a.score - b.score || a.id.localeCompare(b.id));
    return { performance: score('performance'), accessibility: score('accessibility'), bestPractices: score('best-practices'), failedAudits };
  } finally {
    await own?.close();
  }
}

/**
 * Loads `url` and makes sure the built app's service worker controls the page: registers it as
 * src/client/pwa.ts does (the same registration, if the app has made it already), waits for it to
 * activate, and reloads so that it controls the page.
 */
export async function loadControlled(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.evaluate(async () => {
    await navigator.serviceWorker.register('/sw.js', { type: 'module' });
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
}
