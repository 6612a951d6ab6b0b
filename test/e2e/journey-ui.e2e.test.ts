/**
 * The whole journey through Kura's screens, as a person would take it, in real Chromium on the
 * built app served by the real server (DESIGN.md section 8). Only the folder picker is stood in
 * for (an OPFS folder, ui-fixtures.ts); everything else is clicks and typing.
 *
 * First device: first run → consent → create account → add a folder → back up → done → offline
 * reload still shows the backup. Second device: sign in → browse the grid → open a photo, a PDF
 * and a song → restore to a folder → the files are identical. Every screen is checked with axe and
 * photographed in English and Japanese into test-results/screens/ (not committed).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { axeViolations } from './audit.ts';
import { controlledPage, useBuiltApp } from './setup.ts';
import { createAccountThroughUi, en, navigate, pattern, signInThroughUi } from './ui.ts';
import { libraryFiles, OPFS_PICKER, readOpfsFolder, writeOpfsFolder } from './ui-fixtures.ts';

const app = useBuiltApp();
const SCREENS = join('test-results', 'screens');
const account = { email: 'journey@example.jp', passphrase: 'sakura lantern harbour 2026', remember: true };
const files = libraryFiles();

async function device(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB' });
  await context.addInitScript(OPFS_PICKER);
  return { context, page: await controlledPage(context, app.kura.origin + '/') };
}

/** Checks the screen with axe (WCAG 2.2 A/AA) and saves a screenshot named after it. */
async function screen(page: Page, name: string, language = 'en'): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  expect(await axeViolations(page), `axe on ${name} (${language})`).toEqual([]);
  mkdirSync(join(SCREENS, language), { recursive: true });
  await page.screenshot({ path: join(SCREENS, language, `${name}.png`), fullPage: true });
}

test('first device: create an account, back up a folder, and still see it offline', async () => {
  const { context, page } = await device();
  await screen(page, '01-language');
  const code = await createAccountThroughUi(page, account);
  expect(code).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5})+$/);
  await screen(page, '02-home-empty');

  await writeOpfsFolder(page, 'Pictures', files);
  await page.evaluate(`window.__kuraPickFolder = 'Pictures'`);
  await page.getByRole('button', { name: en.home.add.folder }).first().click();
  await page.getByText(pattern(en.home.result.done)).first().waitFor({ timeout: 60_000 });
  await page.getByRole('status', { name: en.common.sync.label }).getByText(en.common.sync['in-sync']).waitFor({ timeout: 60_000 });
  await expect(page.getByText(pattern(en.home.source.last)).first().textContent()).resolves.toMatch(/5 files/);
  await screen(page, '03-home-backed-up');

  // Offline, reloaded: the app starts from the service worker and shows what this device knows.
  await context.setOffline(true);
  await page.reload();
  await page.getByRole('heading', { name: en.home.title, level: 1 }).waitFor();
  await page.getByText(en.common.offline.banner).waitFor();
  await expect(page.getByText(pattern(en.home.source.last)).first().textContent()).resolves.toMatch(/5 files/);
  await screen(page, '04-home-offline');
  await navigate(page, 'browse');
  await page.getByRole('link', { name: /Pictures|KB|kB/ }).first().waitFor();
  await screen(page, '05-browse-offline');
  await context.close();
}, 240_000);
