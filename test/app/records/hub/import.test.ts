/**
 * Importing into the hub: files picked or dropped are read into a preview (nothing written), the
 * counts and lists say what would change, Import commits and the view loads again, Skip discards,
 * an unknown format asks for the kind, and a second import of the same file has nothing new.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import type { ImportPreview } from '../../../../src/client/records-api.ts';
import { FakeApi } from '../../fake-api.ts';
import { fixture, renderHub } from './fixtures.ts';

const lastPreview = async (api: FakeApi): Promise<ImportPreview> => (await api.previewImport.mock.results.at(-1)!.value) as ImportPreview;

/** Through the file input; `accept` is the browser's hint, a user can still pick any file. */
async function upload(files: File | File[], label = 'Files to import'): Promise<void> {
  await userEvent.setup({ applyAccept: false }).upload(screen.getByLabelText(label), files);
}

describe('Import with preview', () => {
  test('a picked vCard file: the preview shows its counts and new contacts, Import commits and the view reloads', async () => {
    const user = userEvent.setup();
    const { api } = renderHub({ kind: 'calls' });
    const file = fixture('contacts/google.vcf');
    await upload(file);
    const dialog = await screen.findByRole('dialog', { name: 'Import google.vcf' });
    expect(api.previewImport).toHaveBeenCalledWith(file);
    const preview = await lastPreview(api);
    expect(preview.added.length).toBe(1);
    expect(within(dialog).getByText('This file holds contacts.')).toBeTruthy();
    const counts = within(within(dialog).getByRole('list', { name: 'What importing would do' })).getAllByRole('listitem');
    expect(counts.map((li) => li.textContent?.trim())).toEqual(['1 new', '0 updated', '0 skipped']);
    expect(within(dialog).getByText('Alice Example · +44 7700 900123')).toBeTruthy();
    expect(api.recordsFake.current('contacts')).toEqual([]);

    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.commitImport).toHaveBeenCalledWith(preview.id);
    expect(api.recordsFake.current('contacts')).toHaveLength(1);
    // The hub switched to the imported kind, and its view was told to load again.
    expect(screen.getByRole('link', { name: 'Contacts' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByText('contacts refreshed 1 times, 0 selected')).toBeTruthy();
    expect(screen.getByText('Added 1 contact.')).toBeTruthy();
    expect(screen.getByText('google.vcf').closest('[role="status"]')).toBeTruthy();
  });

  test('a file dropped on the hub: highlighted while dragging, then previewed; Skip discards it', async () => {
    const user = userEvent.setup();
    const { api } = renderHub();
    const region = screen.getByRole('region', { name: 'Records' });
    const file = fixture('calendar/google-weekly-exdate.ics');
    fireEvent.dragEnter(region, { dataTransfer: { types: ['Files'], files: [] } });
    expect(await screen.findByText('Drop the files to import them')).toBeTruthy();
    fireEvent.drop(region, { dataTransfer: { types: ['Files'], files: [file] } });
    const dialog = await screen.findByRole('dialog', { name: 'Import google-weekly-exdate.ics' });
    expect(screen.queryByText('Drop the files to import them')).toBeNull();
    expect(api.previewImport).toHaveBeenCalledWith(file);
    const preview = await lastPreview(api);
    expect(preview.kind).toBe('calendar');
    expect(await within(dialog).findByText('This file holds calendar events.')).toBeTruthy();
    expect(within(dialog).getByText(`${preview.added.length} new`)).toBeTruthy();
    expect(within(dialog).getByText(`New records (${preview.added.length})`)).toBeTruthy();
    expect(within(dialog).getByText(/^週次ミーティング · /)).toBeTruthy();

    await user.click(within(dialog).getByRole('button', { name: 'Skip this file' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.discardImport).toHaveBeenCalledWith(preview.id);
    expect(api.commitImport).not.toHaveBeenCalled();
    expect(screen.getByText('contacts refreshed 0 times, 0 selected')).toBeTruthy();
  });

  test('entries that could not be read are listed with their line and the reason', async () => {
    const user = userEvent.setup();
    const { api } = renderHub();
    await upload(fixture('calls/one-bad-row.csv'));
    const dialog = await screen.findByRole('dialog', { name: 'Import one-bad-row.csv' });
    const preview = await lastPreview(api);
    expect(preview.errors).toHaveLength(4);
    expect(within(dialog).getByText('4 skipped')).toBeTruthy();
    expect(within(dialog).getByText('(0 already in Kura, 4 unreadable)')).toBeTruthy();
    await user.click(within(dialog).getByText('Entries that could not be read (4)'));
    const items = within(within(dialog).getByText('Entries that could not be read (4)').closest('details')!).getAllByRole('listitem');
    expect(items.map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Line 3 A required field is missing.',
      'Line 4 A date or time cannot be read.',
      'Line 5 The entry is broken.',
      'Line 6 A number cannot be read.',
    ]);
  });

  test('the same file imported twice: the second time everything is skipped, nothing new, Close', async () => {
    const user = userEvent.setup();
    const { api } = renderHub();
    const file = fixture('calls/sms-backup-restore.xml');
    await upload(file);
    let dialog = await screen.findByRole('dialog', { name: 'Import sms-backup-restore.xml' });
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.getByText('Added 9 calls.')).toBeTruthy();

    await upload(file);
    dialog = await screen.findByRole('dialog', { name: 'Import sms-backup-restore.xml' });
    expect(within(dialog).getByText('0 new')).toBeTruthy();
    expect(within(dialog).getByText('9 skipped')).toBeTruthy();
    expect(within(dialog).getByText('Nothing new: everything in this file is already in Kura.')).toBeTruthy();
    expect(within(dialog).queryByRole('button', { name: 'Import' })).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.commitImport).toHaveBeenCalledTimes(1);
    expect(api.discardImport).toHaveBeenCalledTimes(1);
  });

  test('a changed record names what changed', async () => {
    const user = userEvent.setup();
    const api = new FakeApi();
    const { parseContacts } = await import('../../../../src/core/records/index.ts');
    const [alice] = parseContacts(new Uint8Array(await fixture('contacts/google.vcf').arrayBuffer())).records;
    api.recordsFake.seed('contacts', [{ ...alice!, phones: [], note: 'old note' }]);
    renderHub({ api });
    await upload(fixture('contacts/google.vcf'));
    const dialog = await screen.findByRole('dialog', { name: 'Import google.vcf' });
    expect(within(dialog).getByText('1 updated')).toBeTruthy();
    await user.click(within(dialog).getByText('Records that would be updated (1)'));
    expect(within(dialog).getByText(`Changed: Phone numbers, Note`)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    expect(await screen.findByText('Added 0 contacts, updated 1.')).toBeTruthy();
  });

  test('an unknown format: the user names the kind and Kura reads it again as that', async () => {
    const user = userEvent.setup();
    const { api } = renderHub();
    const file = fixture('calls/english.csv', 'calls.dat');
    await upload(file);
    const dialog = await screen.findByRole('dialog', { name: 'Import calls.dat' });
    const group = within(dialog).getByRole('group', { name: 'Kura could not tell what this file holds. What is in it?' });
    await user.click(within(group).getByRole('radio', { name: 'Call history' }));
    await user.click(within(dialog).getByRole('button', { name: 'Read as this kind' }));
    await waitFor(() => expect(api.previewImport).toHaveBeenLastCalledWith(file, 'calls'));
    expect(await within(dialog).findByText('7 new')).toBeTruthy();
    expect(within(dialog).getByText('This file holds call history.')).toBeTruthy();
  });

  test('an unknown format can be skipped, and the next waiting file comes up', async () => {
    const user = userEvent.setup();
    const { api } = renderHub();
    await upload([new File(['hello'], 'notes.txt'), fixture('contacts/google.vcf')]);
    let dialog = await screen.findByRole('dialog', { name: 'Import notes.txt' });
    expect(within(dialog).getByText('1 more file after this one')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Skip this file' }));
    dialog = await screen.findByRole('dialog', { name: 'Import google.vcf' });
    expect(api.previewImport).toHaveBeenCalledTimes(2);
  });

  test('a failure to read is explained, and Try again reads it again', async () => {
    const user = userEvent.setup();
    const { api } = renderHub();
    api.failNext('previewImport', 'network-unavailable');
    await upload(fixture('contacts/google.vcf'));
    const dialog = await screen.findByRole('dialog', { name: 'Import google.vcf' });
    expect(within(dialog).getByRole('alert').textContent).toBe('The server cannot be reached. Check your connection.');
    await user.click(within(dialog).getByRole('button', { name: 'Try again' }));
    expect(await within(dialog).findByText('1 new')).toBeTruthy();
  });

  test('a failed commit keeps the preview open with the reason', async () => {
    const user = userEvent.setup();
    const { api } = renderHub();
    await upload(fixture('contacts/google.vcf'));
    const dialog = await screen.findByRole('dialog', { name: 'Import google.vcf' });
    api.failNext('commitImport', 'records-import-expired');
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('That import is no longer open. Choose the file again.');
    expect(screen.getByText('contacts refreshed 0 times, 0 selected')).toBeTruthy();
  });
});

describe('Import with preview, in Japanese', () => {
  test('counts, lists, errors and the summary', async () => {
    const user = userEvent.setup();
    renderHub({ language: 'ja' });
    await upload(fixture('contacts/multiple-with-one-broken.vcf'), '取り込むファイル');
    const dialog = await screen.findByRole('dialog', { name: 'multiple-with-one-broken.vcf を取り込む' });
    expect(within(dialog).getByText('このファイルの中身: 連絡先')).toBeTruthy();
    expect(within(dialog).getByText('新規 3 件')).toBeTruthy();
    expect(within(dialog).getByText('スキップ 2 件')).toBeTruthy();
    await user.click(within(dialog).getByText('読み取れなかった項目（2 件）'));
    expect(within(dialog).getByText('7 行目')).toBeTruthy();
    expect(within(dialog).getByText('必要な項目がありません。', { exact: false })).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: '取り込む' }));
    expect(await screen.findByText('連絡先を 3 件追加しました。')).toBeTruthy();
  });

  test('an unknown format offers the kinds in Japanese', async () => {
    renderHub({ language: 'ja' });
    await upload(new File(['hello'], 'memo.txt'), '取り込むファイル');
    const dialog = await screen.findByRole('dialog', { name: 'memo.txt を取り込む' });
    const group = within(dialog).getByRole('group', { name: 'このファイルの中身を判別できませんでした。何が入っていますか？' });
    expect(within(group).getAllByRole('radio').map((r) => r.closest('label')?.textContent?.trim())).toEqual(['連絡先', '予定', '通話履歴']);
  });
});
