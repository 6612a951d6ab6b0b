/**
 * Files shared to the app or opened with it: a contacts or calendar export goes to the records
 * import (the hub of its kind, the preview open), a photo still goes to Home's backup.
 */
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import App from '../../../../src/app/App.svelte';
import { ACCOUNT, FakeApi } from '../../fake-api.ts';
import { fixture, renderHub } from './fixtures.ts';

async function openApp(language: 'en' | 'ja' = 'en'): Promise<FakeApi> {
  const api = new FakeApi();
  api.startState = { kind: 'ready', account: ACCOUNT };
  api.preferences = { ...api.preferences, language };
  location.hash = '';
  render(App, { props: { api } });
  await screen.findByRole('heading', { level: 1, name: language === 'en' ? 'Backup' : 'バックアップ' });
  return api;
}

describe('Launched files', () => {
  test('a .vcf opened with the app goes to the contacts import, previewed before anything is written', async () => {
    const user = userEvent.setup();
    const api = await openApp();
    const vcf = fixture('contacts/google.vcf', 'google.vcf', 'text/vcard');
    api.launchCallback?.([vcf]);
    expect(location.hash).toBe('#/records/contacts');
    const dialog = await screen.findByRole('dialog', { name: 'Import google.vcf' });
    expect(await within(dialog).findByText('1 new')).toBeTruthy();
    expect(api.previewImport).toHaveBeenCalledWith(vcf);
    expect(api.backUpInputFiles).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(api.commitImport).toHaveBeenCalledTimes(1));
  });

  test('an .ics shared with a photo: the calendar import, and the photo waits for Home', async () => {
    const api = await openApp('ja');
    const ics = fixture('calendar/google-weekly-exdate.ics', 'shared.ics', '');
    const photo = new File([new Uint8Array([0xff, 0xd8, 0xff])], 'IMG_0001.jpg', { type: 'image/jpeg' });
    api.launchCallback?.([photo, ics]);
    expect(location.hash).toBe('#/records/calendar');
    expect(await screen.findByRole('dialog', { name: 'shared.ics を取り込む' })).toBeTruthy();
    expect(api.backUpInputFiles).not.toHaveBeenCalled();
    location.hash = '#/';
    await waitFor(() => expect(api.backUpInputFiles).toHaveBeenCalledWith([photo], 'IMG_0001.jpg', expect.any(Function)));
    expect(api.previewImport).toHaveBeenCalledTimes(1);
  });

  test('a launched .jpg still goes to Home’s backup', async () => {
    const api = await openApp();
    const photo = new File([new Uint8Array([0xff, 0xd8, 0xff])], 'IMG_0002.jpg', { type: 'image/jpeg' });
    api.launchCallback?.([photo]);
    await waitFor(() => expect(api.backUpInputFiles).toHaveBeenCalledWith([photo], 'IMG_0002.jpg', expect.any(Function)));
    expect(api.previewImport).not.toHaveBeenCalled();
    expect(location.hash).toBe('#/');
  });

  test('record files waiting when the hub opens are taken once', async () => {
    const { api, kura } = renderHub();
    kura.launched.add([fixture('contacts/google.vcf')]);
    expect(await screen.findByRole('dialog', { name: 'Import google.vcf' })).toBeTruthy();
    expect(kura.launched.recordFiles).toEqual([]);
    expect(api.previewImport).toHaveBeenCalledTimes(1);
  });
});
