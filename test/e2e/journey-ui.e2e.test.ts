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
import { createAccountThroughUi, en, ja, navigate, pattern, signInThroughUi } from './ui.ts';
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
  const code = await createAccountThroughUi(page, account, async (step) => {
    // This server offers no external service, and the consent step says so once it has asked.
    if (step === '01-consent') await page.getByText(en.onboarding.consent.purposes.external.none).waitFor();
    await screen(page, step);
  });
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

/** The open viewer (a modal dialog named after the file). */
const viewer = (page: Page, name: string) => page.getByRole('dialog', { name });

async function closeViewer(page: Page, name: string): Promise<void> {
  await viewer(page, name).getByRole('button', { name: en.common.actions.close }).click();
  await viewer(page, name).waitFor({ state: 'detached' });
}

test('second device: sign in, browse, view a photo, a PDF and a song, restore into a folder', async () => {
  const { context, page } = await device();
  await signInThroughUi(page, account);
  await navigate(page, 'browse');
  const backup = page.getByRole('link', { name: /Pictures/ }).first();
  await backup.waitFor();
  await screen(page, '06-browse');
  await backup.click();

  // The grid: two photos, their thumbnails decrypted and drawn.
  const beach = page.getByRole('button', { name: 'beach.png', exact: true });
  await beach.waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => {
    const images = [...document.querySelectorAll('main img')].filter((i) => (i as HTMLImageElement).src.startsWith('blob:'));
    return images.length >= 2 && images.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0);
  });
  await screen(page, '07-snapshot-grid');

  // A photo, full size from the decrypted original.
  await beach.click();
  await page.waitForFunction(() => {
    const img = document.querySelector('dialog[open] img') as HTMLImageElement | null;
    return !!img && img.src.startsWith('blob:') && img.complete && img.naturalWidth === 320;
  });
  await screen(page, '08-viewer-photo');
  await closeViewer(page, 'beach.png');

  // The files view: a PDF in the browser's own viewer, a song that plays.
  await page.getByRole('tab', { name: en.browse.snapshot.views.files }).click();
  await page.getByRole('button', { name: /^documents, folder/ }).click();
  await page.getByRole('button', { name: 'invoice.pdf' }).click();
  await page.waitForFunction(() => !!document.querySelector('dialog[open] iframe[src^="blob:"]'));
  await screen(page, '09-viewer-pdf');
  await closeViewer(page, 'invoice.pdf');
  await page.getByRole('navigation', { name: en.browse.snapshot.files.path }).getByRole('button', { name: 'Pictures' }).click();
  await page.getByRole('button', { name: /^music, folder/ }).click();
  await page.getByRole('button', { name: 'tone.wav' }).click();
  await page.waitForFunction(() => {
    const audio = document.querySelector('dialog[open] audio') as HTMLAudioElement | null;
    return !!audio && audio.readyState >= 1 && Math.abs(audio.duration - 1) < 0.05;
  });
  await screen(page, '10-viewer-audio');
  await closeViewer(page, 'tone.wav');

  // Restore everything into a folder; every file verified, and identical to what was backed up.
  await page.getByRole('button', { name: en.browse.snapshot.restoreAll }).click();
  const dialog = page.getByRole('dialog', { name: en.restore.title });
  await dialog.getByRole('radio', { name: en.restore.destination.folder }).check();
  await dialog.getByRole('radio', { name: en.restore.collision['keep-both'] }).check();
  await screen(page, '11-restore-choose');
  await page.evaluate(`window.__kuraPickFolder = 'Restored'`);
  await dialog.getByRole('button', { name: en.restore.start, exact: true }).click();
  await dialog.getByText(en.restore.result.complete).waitFor({ timeout: 60_000 });
  await expect(dialog.getByText(pattern(en.restore.tally.restored)).textContent()).resolves.toMatch(/^5 /);
  await screen(page, '12-restore-done');
  const restored = await readOpfsFolder(page, 'Restored');
  expect(Object.keys(restored).sort()).toEqual(files.map((f) => f.path).sort());
  for (const f of files) expect(restored[f.path], f.path).toBe(Buffer.from(f.bytes).toString('base64'));
  await dialog.getByRole('button', { name: en.common.actions.done }).click();

  await navigate(page, 'devices');
  await page.getByText(en.devices.thisDevice).first().waitFor();
  await screen(page, '13-devices');
  await navigate(page, 'settings');
  await screen(page, '14-settings');

  // Locked (by hand here; after inactivity too): the passphrase opens it again, offline as well.
  await page.getByRole('button', { name: en.common.actions.lock }).first().click();
  await page.getByRole('heading', { name: en.onboarding.unlock.title }).waitFor();
  await screen(page, '15-unlock');
  await page.getByLabel(en.onboarding.fields.passphrase, { exact: true }).fill(account.passphrase);
  await page.getByRole('button', { name: en.onboarding.unlock.submit }).click();
  // Back where it was locked.
  await page.getByRole('heading', { name: en.settings.title, level: 1 }).waitFor({ timeout: 60_000 });

  // Dark, as the system asks: the same screens, the same contrast.
  await page.emulateMedia({ colorScheme: 'dark' });
  await screen(page, '14-settings-dark');
  await navigate(page, 'browse');
  await page.getByRole('link', { name: /Pictures/ }).first().click();
  await page.getByRole('button', { name: 'beach.png', exact: true }).waitFor();
  await screen(page, '07-snapshot-grid-dark');
  await navigate(page, 'settings');
  await page.emulateMedia({ colorScheme: 'light' });

  // The same screens in Japanese, switched from Settings.
  await page.getByRole('radio', { name: ja.settings.languageNames.ja }).check();
  await page.getByRole('heading', { name: ja.settings.title, level: 1 }).waitFor();
  await screen(page, '14-settings', 'ja');
  await navigate(page, 'home', ja);
  await page.getByRole('heading', { name: ja.home.title, level: 1 }).waitFor();
  await screen(page, '02-home', 'ja');
  await navigate(page, 'browse', ja);
  await page.getByRole('link', { name: /Pictures/ }).first().waitFor();
  await screen(page, '06-browse', 'ja');
  await page.getByRole('link', { name: /Pictures/ }).first().click();
  await page.getByRole('button', { name: 'beach.png', exact: true }).waitFor();
  await screen(page, '07-snapshot-grid', 'ja');
  await page.getByRole('button', { name: 'beach.png', exact: true }).click();
  await page.getByRole('dialog', { name: 'beach.png' }).waitFor();
  await screen(page, '08-viewer-photo', 'ja');
  await page.getByRole('dialog', { name: 'beach.png' }).getByRole('button', { name: ja.common.actions.close }).click();
  await page.getByRole('button', { name: ja.browse.snapshot.restoreAll }).click();
  await page.getByRole('dialog', { name: ja.restore.title }).waitFor();
  await screen(page, '11-restore-choose', 'ja');
  await page.keyboard.press('Escape');
  await navigate(page, 'devices', ja);
  await page.getByText(ja.devices.thisDevice).first().waitFor();
  await screen(page, '13-devices', 'ja');
  await context.close();
}, 240_000);

test('first run in Japanese, following the browser language', async () => {
  const context = await app.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
  const page = await controlledPage(context, app.kura.origin + '/');
  await page.getByRole('radio', { name: ja.onboarding.language.ja, checked: true }).waitFor();
  await screen(page, '01-language', 'ja');
  await page.getByRole('button', { name: ja.common.actions.continue }).click();
  await screen(page, '01-intro', 'ja');
  await page.getByRole('button', { name: ja.onboarding.intro.create }).click();
  await screen(page, '01-consent', 'ja');
  // Nothing goes further without consent, and the optional statistics start off.
  await expect(page.getByRole('checkbox', { name: ja.onboarding.consent.purposes.statistics.label }).isChecked()).resolves.toBe(false);
  await page.getByRole('button', { name: ja.common.actions.continue }).click();
  await page.getByText(ja.onboarding.consent['agree-missing']).waitFor();
  await page.getByRole('checkbox', { name: ja.onboarding.consent.agree }).check();
  await page.getByRole('button', { name: ja.common.actions.continue }).click();
  await page.getByRole('heading', { name: ja.onboarding.create.title }).waitFor();
  await screen(page, '01-create', 'ja');
  await context.close();
}, 120_000);
