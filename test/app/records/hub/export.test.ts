/**
 * The export dialog: how many records, the formats of the kind (the first chosen), Download or a
 * folder (only where the browser can pick one), the call it makes, a closed picker (nothing said,
 * still open), and a failure.
 */
import { screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, test, vi } from 'vitest';
import type { Language } from '../../../../src/client/app-api.ts';
import type { RecordKind } from '../../../../src/core/records/kinds.ts';
import ExportDialog from '../../../../src/app/screens/records/export/ExportDialog.svelte';
import { FakeApi } from '../../fake-api.ts';
import { renderScreen } from '../../render.ts';
import './fixtures.ts';

function renderExport(kind: RecordKind, keys: readonly string[] | 'all', options: { api?: FakeApi; language?: Language } = {}) {
  const onclose = vi.fn();
  const rendered = renderScreen(ExportDialog, { api: options.api ?? new FakeApi(), language: options.language ?? 'en', props: { kind, keys, onclose } });
  return { ...rendered, onclose, dialog: screen.getByRole('dialog') };
}

const formats = (dialog: HTMLElement) =>
  within(within(dialog).getByRole('group', { name: /Format|形式/ })).getAllByRole('radio').map((r) => [(r as HTMLInputElement).labels?.[0]?.textContent, (r as HTMLInputElement).checked]);

describe('Export dialog', () => {
  test('contacts: vCard 3.0 (chosen) or 4.0, each with a hint', () => {
    const { dialog } = renderExport('contacts', ['a', 'b', 'c']);
    expect(within(dialog).getByRole('heading', { name: 'Export contacts' })).toBeTruthy();
    expect(within(dialog).getByText('3 selected records')).toBeTruthy();
    expect(formats(dialog)).toEqual([
      ['vCard 3.0', true],
      ['vCard 4.0', false],
    ]);
    expect(within(dialog).getByRole('radio', { name: 'vCard 3.0' }).getAttribute('aria-describedby')).toBeTruthy();
    expect(within(dialog).getByText('For most phones and address books')).toBeTruthy();
  });

  test('calendar: iCalendar; call history: CSV', () => {
    const calendar = renderExport('calendar', 'all');
    expect(formats(calendar.dialog)).toEqual([['iCalendar (.ics)', true]]);
    calendar.result.unmount();
    const calls = renderExport('calls', 'all');
    expect(formats(calls.dialog)).toEqual([['CSV', true]]);
  });

  test('all records: the count comes from the list', async () => {
    const api = new FakeApi();
    api.recordsFake.seed('calls', [1, 2].map((n) => ({ uid: `call-${n}`, number: '090', normalized: '090', type: 'incoming' as const, start: n, durationSeconds: 1 })));
    const { dialog } = renderExport('calls', 'all', { api });
    expect(within(dialog).getByText('All records')).toBeTruthy();
    expect(await within(dialog).findByText('All 2 records')).toBeTruthy();
  });

  test('download: the call, then what was saved as a status', async () => {
    const user = userEvent.setup();
    const { api, dialog } = renderExport('contacts', ['a', 'b']);
    await user.click(within(dialog).getByRole('radio', { name: 'vCard 4.0' }));
    await user.click(within(dialog).getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(api.exportRecords).toHaveBeenCalledWith('contacts', ['a', 'b'], 'vcard-4.0', 'download'));
    expect((await within(dialog).findByRole('status')).textContent?.trim()).toBe('Saved 2 contacts as kura-contacts.vcf.');
  });

  test('a folder: offered where the browser can pick one, and passed on', async () => {
    const user = userEvent.setup();
    const { api, dialog } = renderExport('calendar', ['e1']);
    expect(within(dialog).getByRole('radio', { name: 'Downloads' })).toHaveProperty('checked', true);
    await user.click(within(dialog).getByRole('radio', { name: 'A folder you choose' }));
    await user.click(within(dialog).getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(api.exportRecords).toHaveBeenCalledWith('calendar', ['e1'], 'icalendar', 'folder'));
    expect(await within(dialog).findByText('Saved 1 event as kura-calendar.ics.')).toBeTruthy();
  });

  test('no folder picker: no choice of destination, downloads', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.capabilities = { ...api.capabilities, folderPicker: false };
    const { dialog } = renderExport('calls', 'all', { api });
    expect(within(dialog).queryByRole('group', { name: 'Save to' })).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(api.exportRecords).toHaveBeenCalledWith('calls', 'all', 'csv', 'download'));
  });

  test('the folder picker closed: nothing said, the dialog stays open', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.exportRecords.mockResolvedValueOnce(undefined);
    const { dialog, onclose } = renderExport('contacts', ['a'], { api });
    await user.click(within(dialog).getByRole('radio', { name: 'A folder you choose' }));
    await user.click(within(dialog).getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(api.exportRecords).toHaveBeenCalled());
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Export' })).toHaveProperty('disabled', false));
    expect(within(dialog).getByRole('status').textContent?.trim()).toBe('');
    expect(within(dialog).queryByRole('alert')).toBeNull();
    expect(dialog.hasAttribute('open')).toBe(true);
    expect(onclose).not.toHaveBeenCalled();
  });

  test('a failure is explained', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    api.failNext('exportRecords', 'quota-exceeded');
    const { dialog } = renderExport('contacts', ['a'], { api });
    await user.click(within(dialog).getByRole('button', { name: 'Export' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('Your storage is full. Remove old backups or ask for more space.');
  });

  test('Close closes', async () => {
    const user = userEvent.setup();
    const { dialog, onclose } = renderExport('contacts', ['a']);
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(onclose).toHaveBeenCalledTimes(1);
  });

  test('in Japanese', async () => {
    const user = userEvent.setup();
    const { dialog } = renderExport('contacts', ['a', 'b'], { language: 'ja' });
    expect(within(dialog).getByRole('heading', { name: '連絡先を書き出す' })).toBeTruthy();
    expect(within(dialog).getByText('選んだ記録 2 件')).toBeTruthy();
    expect(within(dialog).getByText('ほとんどのスマートフォンやアドレス帳で使えます')).toBeTruthy();
    expect(within(dialog).getByRole('group', { name: '保存先' })).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: '書き出す' }));
    expect(await within(dialog).findByText('連絡先 2 件を kura-contacts.vcf として保存しました。')).toBeTruthy();
  });
});
