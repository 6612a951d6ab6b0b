import { cleanup, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import Browse from '../../../src/app/screens/browse/Browse.svelte';
import { formatDate } from '../../../src/app/i18n/format.ts';
import { ACCOUNT, FakeApi, snapshot } from '../fake-api.ts';
import { makeKura, renderScreen } from '../render.ts';
import { device, OTHER_DEVICE, snapshotId, summary, THIS_DEVICE } from './fixtures.ts';

const NOW = new Date(2026, 10, 20, 15, 0).getTime();
const hoursAgo = (h: number) => NOW - h * 3600_000;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function apiWithBackups(): FakeApi {
  const api = new FakeApi();
  api.snapshotList = {
    offline: false,
    snapshots: [
      summary(1, hoursAgo(1)), // today, this device
      summary(2, hoursAgo(20), { deviceId: OTHER_DEVICE }), // yesterday
      summary(3, new Date(2026, 10, 2, 10).getTime(), { kind: 'records' }),
    ],
  };
  api.deviceList = [device(THIS_DEVICE, 'Hana’s laptop', true), device(OTHER_DEVICE, 'Hana’s iPhone', false)];
  return api;
}

describe('Browse', () => {
  test('lists every backup newest first under Today, Yesterday and dates, with device names and this device marked', async () => {
    const api = apiWithBackups();
    api.manifests.set(snapshotId(1), snapshot(snapshotId(1), [], { source: 'Photos' }));
    renderScreen(Browse, { api });

    expect(screen.getByRole('heading', { level: 1, name: 'Browse' })).toBeTruthy();
    const today = await screen.findByRole('region', { name: 'Today' });
    const yesterday = screen.getByRole('region', { name: 'Yesterday' });
    const older = screen.getByRole('region', { name: formatDate(new Date(2026, 10, 2).getTime(), 'en') });

    const first = within(today).getByRole('link');
    expect(first.getAttribute('href')).toBe(`#/browse/${snapshotId(1)}`);
    expect(first.textContent).toContain('Hana’s laptop');
    expect(first.textContent).toContain('This device');
    expect(first.textContent).toContain('2.5 MB');
    const second = within(yesterday).getByRole('link');
    expect(second.textContent).toContain('Hana’s iPhone');
    expect(second.textContent).not.toContain('This device');
    expect(within(older).getByRole('link').textContent).toContain('Contacts and calendars');

    // The manifest opened ahead gives the first row its source name and file count.
    await waitFor(() => expect(first.textContent).toContain('Photos'));
    expect(first.textContent).toContain('0 files');
  });

  test('opens manifests ahead only for the first 20 rows', async () => {
    const api = new FakeApi();
    api.snapshotList = { offline: false, snapshots: Array.from({ length: 30 }, (_, i) => summary(i + 1, hoursAgo(i))) };
    renderScreen(Browse, { api });
    await screen.findAllByRole('link');
    await waitFor(() => expect(api.manifest).toHaveBeenCalledTimes(20));
    expect(api.manifest.mock.calls.map((c) => c[0])).toEqual(Array.from({ length: 20 }, (_, i) => snapshotId(i + 1)));
  });

  test('the device chips filter the list to one device', async () => {
    const user = userEvent.setup();
    renderScreen(Browse, { api: apiWithBackups() });
    const chips = await screen.findByRole('group', { name: 'Show backups from' });
    expect(screen.getAllByRole('link')).toHaveLength(3);

    await user.click(within(chips).getByRole('button', { name: /iPhone/ }));
    expect(within(chips).getByRole('button', { name: /iPhone/ }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual([`#/browse/${snapshotId(2)}`]);

    await user.click(within(chips).getByRole('button', { name: 'All devices' }));
    expect(screen.getAllByRole('link')).toHaveLength(3);
  });

  test('with no backups: says so and links to Home', async () => {
    renderScreen(Browse, { api: new FakeApi() });
    expect(await screen.findByRole('heading', { name: 'No backups yet' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Go to Backup' }).getAttribute('href')).toBe('#/');
  });

  test('while loading: a status and skeleton rows, then the list', async () => {
    const api = apiWithBackups();
    const held = api.hold('snapshots');
    const { result } = renderScreen(Browse, { api });
    expect(screen.getByRole('status').textContent).toBe('Loading your backups…');
    expect(result.container.querySelectorAll('.skeleton-row')).toHaveLength(6);
    expect(screen.queryByRole('link')).toBeNull();
    held.resolve(api.snapshotList);
    expect(await screen.findAllByRole('link')).toHaveLength(3);
    expect(result.container.querySelector('.skeleton-row')).toBeNull();
  });

  test('offline: the list kept on this device with a notice, and short device labels when names cannot be fetched', async () => {
    const api = apiWithBackups();
    api.snapshotList = { ...api.snapshotList, offline: true };
    api.failNext('devices', 'network-unavailable');
    api.failNext('manifest', 'network-unavailable');
    const kura = makeKura(api, { online: false });
    kura.session.account = ACCOUNT;
    renderScreen(Browse, { kura });

    expect(await screen.findByText('Showing the backups last seen on this device')).toBeTruthy();
    const today = screen.getByRole('region', { name: 'Today' });
    expect(within(today).getByRole('link').textContent).toContain(`Device ${THIS_DEVICE.slice(0, 4).toUpperCase()}`);
    expect(within(today).getByRole('link').textContent).toContain('This device');
    expect(within(screen.getByRole('region', { name: 'Yesterday' })).getByRole('link').textContent).toContain('Device B7E1');
  });

  test('an error is explained, and Try again loads the list', async () => {
    const user = userEvent.setup();
    const api = apiWithBackups();
    api.failNext('snapshots', 'internal');
    renderScreen(Browse, { api });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The server had a problem. Try again later.');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findAllByRole('link')).toHaveLength(3);
    expect(api.snapshots).toHaveBeenCalledTimes(2);
  });

  test('in Japanese', async () => {
    const api = apiWithBackups();
    api.snapshotList = { ...api.snapshotList, offline: true };
    renderScreen(Browse, { api, language: 'ja' });
    expect(screen.getByRole('heading', { level: 1, name: '閲覧' })).toBeTruthy();
    const today = await screen.findByRole('region', { name: '今日' });
    expect(within(today).getByRole('link').textContent).toContain('この端末');
    expect(within(today).getByRole('link').textContent).toContain('14:00'); // Japanese time, not "2:00 PM"
    expect(screen.getByRole('region', { name: '昨日' })).toBeTruthy();
    expect(screen.getByText('この端末で最後に確認したバックアップを表示しています')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'すべての端末' })).toBeTruthy();
  });
});
