import { cleanup, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { SnapshotId } from '../../../src/core/ids.ts';
import Settings from '../../../src/app/screens/settings/Settings.svelte';
import { FakeApi } from '../fake-api.ts';
import { renderScreen } from '../render.ts';

vi.mock('virtual:kura-notices', async () => ({ default: (await import('./notices-mock.ts')).NOTICES }));

afterEach(cleanup);

const section = (name = 'Backups') => within(screen.getByRole('region', { name }));
const field = (label: string) => section().getByLabelText(label) as HTMLInputElement;

async function setField(label: string, value: string): Promise<void> {
  await userEvent.clear(field(label));
  if (value) await userEvent.type(field(label), value);
}

describe('snapshot retention', () => {
  test('shows the saved rule and explains it in words', () => {
    renderScreen(Settings);
    expect(screen.getByRole('heading', { level: 1, name: 'Settings' })).toBeTruthy();
    expect(field('Newest backups').value).toBe('10');
    expect(field('Days (one backup a day)').value).toBe('7');
    expect(field('Weeks (one backup a week)').value).toBe('4');
    expect(field('Months (one backup a month)').value).toBe('12');
    const items = section().getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual([
      'the newest 10 backups',
      'one backup a day for the last 7 days',
      'one backup a week for the last 4 weeks',
      'one backup a month for the last 12 months',
    ]);
    expect(section().getByText('The newest backup is always kept.')).toBeTruthy();
  });

  test('Save stores the rule in the preferences', async () => {
    const { api, kura } = renderScreen(Settings);
    await setField('Newest backups', '1');
    await setField('Weeks (one backup a week)', '0');
    expect(section().getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'the newest 1 backup',
      'one backup a day for the last 7 days',
      'one backup a month for the last 12 months',
    ]);
    await userEvent.click(section().getByRole('button', { name: 'Save' }));
    expect(api.savePreferences).toHaveBeenLastCalledWith({ retention: { last: 1, daily: 7, weekly: 0, monthly: 12 } });
    expect(kura.prefs.value.retention).toEqual({ last: 1, daily: 7, weekly: 0, monthly: 12 });
    expect(section().getByRole('status').textContent?.trim()).toBe('Saved.');
  });

  test('numbers outside 0-999 or empty are refused', async () => {
    const { api } = renderScreen(Settings);
    await setField('Newest backups', '1000');
    expect(field('Newest backups').getAttribute('aria-invalid')).toBe('true');
    await setField('Days (one backup a day)', '');
    await userEvent.click(section().getByRole('button', { name: 'Save' }));
    expect(section().getAllByText('Enter a whole number from 0 to 999.')).toHaveLength(2);
    await userEvent.click(section().getByRole('button', { name: 'Apply now' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.savePreferences).not.toHaveBeenCalled();
  });

  test('all zero keeps everything', async () => {
    renderScreen(Settings);
    for (const label of ['Newest backups', 'Days (one backup a day)', 'Weeks (one backup a week)', 'Months (one backup a month)']) await setField(label, '0');
    expect(section().getByText('With every number at 0, Kura keeps all backups.')).toBeTruthy();
  });

  test('Apply now asks first, then removes and says how many', async () => {
    const api = new FakeApi();
    api.applyRetention.mockResolvedValueOnce(['a', 'b', 'c'] as SnapshotId[]);
    renderScreen(Settings, { api });
    await setField('Newest backups', '3');
    await userEvent.click(section().getByRole('button', { name: 'Apply now' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Remove old backups now?' }));
    expect(dialog.getByText(/deleted from your account, for every device/)).toBeTruthy();
    expect(api.applyRetention).not.toHaveBeenCalled();
    await userEvent.click(dialog.getByRole('button', { name: 'Remove old backups' }));
    expect(api.applyRetention).toHaveBeenCalledWith({ last: 3, daily: 7, weekly: 4, monthly: 12 });
    // What was applied is also what is kept from now on.
    expect(api.preferences.retention).toEqual({ last: 3, daily: 7, weekly: 4, monthly: 12 });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(section().getByRole('status').textContent?.trim()).toBe('Removed 3 old backups.');
  });

  test('Apply now: one, none, in progress, failed, cancelled', async () => {
    const api = new FakeApi();
    renderScreen(Settings, { api });
    const apply = async () => {
      await userEvent.click(section().getByRole('button', { name: 'Apply now' }));
      return within(screen.getByRole('dialog'));
    };

    let dialog = await apply();
    await userEvent.click(dialog.getByRole('button', { name: 'Cancel' }));
    expect(api.applyRetention).not.toHaveBeenCalled();

    const held = api.hold<SnapshotId[]>('applyRetention');
    dialog = await apply();
    await userEvent.click(dialog.getByRole('button', { name: 'Remove old backups' }));
    expect(dialog.getByText('Removing old backups…')).toBeTruthy();
    expect(dialog.getByRole('button', { name: 'Cancel' })).toHaveProperty('disabled', true);
    held.resolve(['x'] as SnapshotId[]);
    await waitFor(() => expect(section().getByRole('status').textContent?.trim()).toBe('Removed 1 old backup.'));

    api.failNext('applyRetention', 'network-unavailable');
    dialog = await apply();
    await userEvent.click(dialog.getByRole('button', { name: 'Remove old backups' }));
    expect((await dialog.findByRole('alert')).textContent).toBe('The server cannot be reached. Check your connection.');
    await userEvent.click(dialog.getByRole('button', { name: 'Remove old backups' }));
    await waitFor(() => expect(section().getByRole('status').textContent?.trim()).toBe('There were no old backups to remove.'));
  });

  test('offline, Apply now waits for a connection', () => {
    renderScreen(Settings, { online: false });
    expect(section().getByRole('button', { name: 'Apply now' })).toHaveProperty('disabled', true);
    expect(section().getByText('Applying the rule needs a connection.')).toBeTruthy();
  });

  test('in Japanese', async () => {
    const api = new FakeApi();
    api.applyRetention.mockResolvedValueOnce(['a', 'b'] as SnapshotId[]);
    renderScreen(Settings, { api, language: 'ja' });
    const backups = section('バックアップ');
    expect(backups.getByText('直近7日間は1日1件')).toBeTruthy();
    await userEvent.click(backups.getByRole('button', { name: '今すぐ適用' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: '古いバックアップを削除' }));
    await waitFor(() => expect(backups.getByRole('status').textContent?.trim()).toBe('古いバックアップを2件削除しました。'));
  });
});
