/**
 * The records hub: a heading, tabs for the three kinds that follow the route, the chosen kind's
 * view, and the toolbar (Import, Export all), in English and Japanese.
 */
import { screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { act } from '@testing-library/svelte';
import { renderHub } from './fixtures.ts';

describe('Records hub', () => {
  test('a heading, three tabs linking to each kind, the current one marked, and its view', async () => {
    const { kura } = renderHub({ kind: 'calendar' });
    expect(screen.getByRole('heading', { level: 1, name: 'Records' })).toBeTruthy();
    const tabs = within(screen.getByRole('navigation', { name: 'Kind of record' })).getAllByRole('link');
    expect(tabs.map((t) => [t.textContent, t.getAttribute('href'), t.getAttribute('aria-current')])).toEqual([
      ['Contacts', '#/records/contacts', null],
      ['Calendar', '#/records/calendar', 'page'],
      ['Call history', '#/records/calls', null],
    ]);
    expect(screen.getByRole('region', { name: 'calendar view' })).toBeTruthy();

    await act(() => kura.router.go({ name: 'records', kind: 'calls' }));
    expect(screen.getByRole('link', { name: 'Call history' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('region', { name: 'calls view' })).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'calendar view' })).toBeNull();
  });

  test('in Japanese', () => {
    renderHub({ language: 'ja' });
    expect(screen.getByRole('heading', { level: 1, name: '連絡先・予定' })).toBeTruthy();
    const tabs = within(screen.getByRole('navigation', { name: '記録の種類' })).getAllByRole('link');
    expect(tabs.map((t) => t.textContent)).toEqual(['連絡先', '予定', '通話履歴']);
    expect(screen.getByRole('button', { name: '取り込む' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'すべて書き出す' })).toBeTruthy();
    expect(screen.getByLabelText('取り込むファイル')).toBeTruthy();
  });

  test('Import opens the file picker: record files, several at once', async () => {
    const user = userEvent.setup();
    renderHub();
    const input = screen.getByLabelText<HTMLInputElement>('Files to import');
    expect(input.type).toBe('file');
    expect(input.multiple).toBe(true);
    expect(input.accept).toBe('.vcf,.vcard,.ics,.ical,.csv,.xml,text/vcard,text/calendar,text/csv,text/xml');
    let clicked = false;
    input.addEventListener('click', () => (clicked = true));
    await user.click(screen.getByRole('button', { name: 'Import' }));
    expect(clicked).toBe(true);
  });

  test('Export all opens the export dialog for every record of the kind shown', async () => {
    const user = userEvent.setup();
    const { api } = renderHub({ kind: 'calls' });
    await user.click(screen.getByRole('button', { name: 'Export all' }));
    const dialog = await screen.findByRole('dialog', { name: 'Export call history' });
    expect(within(dialog).getByText('All 0 records')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(api.exportRecords).toHaveBeenCalledWith('calls', 'all', 'csv', 'download'));
  });

  test("the view's selection is exported when the view asks", async () => {
    const user = userEvent.setup();
    const { api } = renderHub();
    await user.click(screen.getByRole('button', { name: 'select two' }));
    expect(screen.getByText('contacts refreshed 0 times, 2 selected')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'export selected' }));
    const dialog = await screen.findByRole('dialog', { name: 'Export contacts' });
    expect(within(dialog).getByText('2 selected records')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(api.exportRecords).toHaveBeenCalledWith('contacts', ['k1', 'k2'], 'vcard-3.0', 'download'));
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  test('another kind starts with nothing selected', async () => {
    const user = userEvent.setup();
    const { kura } = renderHub();
    await user.click(screen.getByRole('button', { name: 'select two' }));
    await act(() => kura.router.go({ name: 'records', kind: 'calendar' }));
    expect(screen.getByText('calendar refreshed 0 times, 0 selected')).toBeTruthy();
  });
});
