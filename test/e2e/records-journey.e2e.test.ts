/**
 * Records through the app, in real Chromium on the built app and the real server (issue 6): on one
 * device, import a contacts file, a calendar and a call log (previewed, then committed), and let
 * them sync; on a second profile, sign in, see them, export each kind (downloads and a folder) and
 * compare what comes out with what went in, field for field, through the same parsers.
 */
import { readFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { parseCalendar, parseCallLog, parseContacts } from '../../src/core/records/index.ts';
import { recordKey, type RecordKind } from '../../src/core/records/kinds.ts';
import { axeViolations } from './audit.ts';
import { controlledPage, useBuiltApp } from './setup.ts';
import { createAccountThroughUi, en, navigate, pattern, signInThroughUi } from './ui.ts';
import { OPFS_PICKER, readOpfsFolder } from './ui-fixtures.ts';

const app = useBuiltApp();
const SCREENS = join('test-results', 'screens', 'en');
const account = { email: 'records@example.jp', passphrase: 'paper lantern tea house 2026', remember: true };
const fixture = (path: string) => readFileSync(new URL(`../fixtures/records/${path}`, import.meta.url));
const FILES = [
  { name: 'iphone-contacts.vcf', mimeType: 'text/vcard', buffer: fixture('contacts/iphone-share-several.vcf') },
  { name: 'work.ics', mimeType: 'text/calendar', buffer: fixture('calendar/google-weekly-exdate.ics') },
  { name: 'calls-20231115.xml', mimeType: 'text/xml', buffer: fixture('calls/sms-backup-restore.xml') },
];
const expected = {
  contacts: parseContacts(FILES[0]!.buffer).records,
  calendar: parseCalendar(FILES[1]!.buffer).records,
  calls: parseCallLog(FILES[2]!.buffer).records,
};

async function device(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Asia/Tokyo', acceptDownloads: true });
  await context.addInitScript(OPFS_PICKER);
  return { context, page: await controlledPage(context, app.kura.origin + '/') };
}

async function screen(page: Page, name: string): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  expect(await axeViolations(page), `axe on ${name}`).toEqual([]);
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true });
}

const tab = (page: Page, kind: RecordKind) => page.getByRole('navigation', { name: en.records.kinds.label }).getByRole('link', { name: en.records.kinds[kind] });
const sorted = <T>(kind: RecordKind, records: readonly T[]) => [...records].sort((a, b) => (recordKey(kind, a as never) < recordKey(kind, b as never) ? -1 : 1));

test('first device: import contacts, a calendar and a call log, with a preview of each, and back them up', async () => {
  const { context, page } = await device();
  await createAccountThroughUi(page, account);
  await navigate(page, 'records');
  await page.getByText(en.contacts.empty).waitFor();
  await screen(page, '20-records-empty');

  await page.getByLabel(en.records.actions.files).setInputFiles(FILES);
  const dialog = page.getByRole('dialog');
  for (const [i, file] of FILES.entries()) {
    await dialog.getByRole('heading', { name: pattern(en.records.import.title.replace('{name}', file.name)) }).waitFor({ timeout: 30_000 });
    const n = [expected.contacts, expected.calendar, expected.calls][i]!.length;
    await dialog.getByText(`${n} new`, { exact: true }).waitFor({ timeout: 30_000 });
    if (i === 0) await screen(page, '21-records-import-preview');
    await dialog.getByRole('button', { name: en.records.import.commit, exact: true }).click();
  }
  await dialog.waitFor({ state: 'hidden' });
  await page.getByRole('status', { name: en.common.sync.label }).getByText(en.common.sync['in-sync']).waitFor({ timeout: 60_000 });

  await tab(page, 'contacts').click();
  await page.getByText('佐藤 健').first().waitFor();
  await screen(page, '22-records-contacts');

  // The same file again: nothing new, nothing written.
  await page.getByLabel(en.records.actions.files).setInputFiles([FILES[0]!]);
  await dialog.getByText(en.records.import.nothingNew).waitFor();
  await dialog.getByRole('button', { name: en.common.actions.close }).click();
  await context.close();
}, 240_000);

test('second device: the records are there; each kind exports to a file that reads back the same', async () => {
  const { context, page } = await device();
  await signInThroughUi(page, account);
  await navigate(page, 'records');
  await page.getByText('Emily Tanaka').first().waitFor({ timeout: 30_000 });

  await tab(page, 'calendar').click();
  await page.getByRole('tab', { name: en.calendar.view.agenda }).or(page.getByRole('radio', { name: en.calendar.view.agenda })).or(page.getByRole('button', { name: en.calendar.view.agenda })).first().click();
  await page.getByText('週次ミーティング').first().waitFor({ timeout: 30_000 });
  await screen(page, '23-records-calendar-agenda');

  await tab(page, 'calls').click();
  await page.getByText('山田 花子').first().waitFor({ timeout: 30_000 });
  await screen(page, '24-records-calls');

  const exportAll = async (kind: RecordKind, format: string, to: 'download' | 'folder') => {
    await tab(page, kind).click();
    await page.getByRole('button', { name: en.records.actions.exportAll }).click();
    const dialog = page.getByRole('dialog', { name: en.records.export.title[kind] });
    await dialog.getByRole('radio', { name: new RegExp(`^${format.replace(/[.()]/g, '\\$&')}`) }).check();
    await dialog.getByRole('radio', { name: to === 'download' ? en.records.export.download : en.records.export.folder }).check();
    if (kind === 'contacts') await screen(page, '25-records-export');
    let text: string;
    if (to === 'download') {
      const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: en.records.export.submit, exact: true }).click()]);
      text = readFileSync((await download.path())!, 'utf8');
      expect(download.suggestedFilename()).toMatch(new RegExp(`^kura-${kind}-\\d{4}-\\d\\d-\\d\\d\\.(vcf|ics|csv)$`));
    } else {
      await page.evaluate(`window.__kuraPickFolder = 'Exports'`);
      await dialog.getByRole('button', { name: en.records.export.submit, exact: true }).click();
      await dialog.getByText(/kura-contacts-/).waitFor();
      const files = await readOpfsFolder(page, 'Exports');
      text = Buffer.from(Object.values(files)[0]!, 'base64').toString('utf8');
    }
    await dialog.getByRole('button', { name: en.common.actions.close }).click();
    return text;
  };

  expect(sorted('contacts', parseContacts(await exportAll('contacts', 'vCard 3.0', 'download')).records)).toEqual(sorted('contacts', expected.contacts));
  expect(sorted('contacts', parseContacts(await exportAll('contacts', 'vCard 4.0', 'folder')).records)).toEqual(sorted('contacts', expected.contacts));
  expect(sorted('calendar', parseCalendar(await exportAll('calendar', 'iCalendar', 'download')).records)).toEqual(sorted('calendar', expected.calendar));
  expect(sorted('calls', parseCallLog(await exportAll('calls', 'CSV', 'download')).records)).toEqual(sorted('calls', expected.calls));
  await context.close();
}, 240_000);
