/**
 * The audit harness (audit.ts) on the built app's first-run screen, served by the Kura server with
 * its CSP: axe-core finds no WCAG 2.2 AA violation; Lighthouse scores accessibility and best
 * practices at 0.95 or more, online and again with the server gone (the app from the service
 * worker's precache). On the home screen of a signed-in device all three scores must reach 0.95,
 * online and with the server gone.
 */
import { expect, test } from 'vitest';
import { axeViolations, launchDebuggableChromium, loadControlled, runLighthouse, type LighthouseScores } from './audit.ts';
import { useBuiltApp } from './setup.ts';
import { startServer } from '../server/harness.ts';
import { createAccountThroughUi, en } from './ui.ts';

const app = useBuiltApp();

function record(label: string, scores: LighthouseScores): void {
  console.log(JSON.stringify({ lighthouse: label, ...scores }));
}

test('axe finds no WCAG 2.2 AA violation on the first-run screen, under the app CSP', async () => {
  const context = await app.browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(app.kura.origin + '/');
  // axe goes in through the DevTools protocol, which this policy (no inline script) lets through.
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval';");
  await page
    .locator('h1')
    .first()
    .waitFor({ timeout: 15_000 })
    .catch(() => {
      throw new Error('the built app showed no heading within 15 s: does src/client/app-client.ts start the app?');
    });
  expect(await axeViolations(page)).toEqual([]);

  // And the harness does see a violation when there is one: an icon button with no name.
  await page.evaluate(() => document.body.append(Object.assign(document.createElement('button'), { className: 'nameless' })));
  expect(await axeViolations(page)).toEqual([
    { id: 'button-name', impact: 'critical', help: 'Buttons must have discernible text', nodes: 1, targets: [expect.stringMatching(/button|\.nameless/)] },
  ]);
  expect(await axeViolations(page, { exclude: '.nameless' })).toEqual([]);
  await context.close();
}, 60_000);

test('Lighthouse on the first-run screen: accessibility and best practices at 0.95 or more', async () => {
  const scores = await runLighthouse(app.kura.origin + '/', { formFactor: 'desktop' });
  record('first-run', scores);
  expect(scores.accessibility, JSON.stringify(scores.failedAudits)).toBeGreaterThanOrEqual(0.95);
  expect(scores.bestPractices, JSON.stringify(scores.failedAudits)).toBeGreaterThanOrEqual(0.95);
}, 60_000);

test('Lighthouse on the first-run screen with no server: the app starts from the precache', async () => {
  // A server of its own, so that stopping it leaves the other tests' server alone. Lighthouse sets
  // the tab's network conditions itself (undoing an emulated offline), so "offline" here is a
  // server that is gone: nothing answers but the service worker.
  const kura = await startServer({ config: { staticDir: app.outDir } });
  const chromium = await launchDebuggableChromium();
  try {
    const page = await chromium.context.newPage();
    await loadControlled(page, kura.origin + '/');
    await page.close();
    await kura.close();
    expect(await fetch(kura.origin + '/').then(() => 'served', () => 'unreachable')).toBe('unreachable');

    const scores = await runLighthouse(kura.origin + '/', { port: chromium.port, keepStorage: true });
    record('first-run, no server', scores);
    expect(scores.accessibility, JSON.stringify(scores.failedAudits)).toBeGreaterThanOrEqual(0.95);
  } finally {
    await chromium.close();
  }
}, 60_000);

test('Lighthouse on the home screen of a signed-in device: 0.95 or more on all three, online and with the server gone', async () => {
  const kura = await startServer({ config: { staticDir: app.outDir } });
  let serverUp = true;
  const chromium = await launchDebuggableChromium();
  try {
    const page = await chromium.context.newPage();
    await loadControlled(page, kura.origin + '/');
    await createAccountThroughUi(page, { email: 'lighthouse@example.jp', passphrase: 'lantern harbour sakura 2026', remember: true });
    await page.reload();
    await page.getByRole('heading', { name: en.home.title, level: 1 }).waitFor();
    await page.close();

    for (const label of ['home', 'home, no server'] as const) {
      if (label === 'home, no server') {
        serverUp = false;
        await kura.close();
      }
      const scores = await runLighthouse(kura.origin + '/', { port: chromium.port, keepStorage: true, formFactor: 'desktop' });
      record(label, scores);
      const failed = JSON.stringify(scores.failedAudits);
      expect(scores.performance, failed).toBeGreaterThanOrEqual(0.95);
      expect(scores.accessibility, failed).toBeGreaterThanOrEqual(0.95);
      expect(scores.bestPractices, failed).toBeGreaterThanOrEqual(0.95);
    }
  } finally {
    await chromium.close();
    if (serverUp) await kura.close();
  }
}, 120_000);
