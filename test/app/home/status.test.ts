/**
 * The status summary at the top of Home (all backed up, waiting to upload, offline, sync error
 * with a retry, uploading with its detail, paused) and the storage meters (this device, the
 * account, offline).
 */
import { act, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { HomeApi, folder, renderHome } from './fixtures.ts';

const status = () => within(screen.getByRole('region', { name: /^(Status|状態)$/ }));
const storage = () => within(screen.getByRole('region', { name: /^(Storage|保存容量)$/ }));

async function withSources(options: { language?: 'ja'; online?: boolean; api?: HomeApi } = {}) {
  const api = options.api ?? new HomeApi();
  api.sourceList = [folder()];
  const rendered = await renderHome({ ...options, api });
  rendered.kura.sync.start();
  return rendered;
}

describe('Home: the status summary', () => {
  test('all backed up', async () => {
    const { api } = await withSources();
    await act(() => api.emitSync({ kind: 'in-sync' }));
    expect(status().getByText('All backed up')).toBeTruthy();
    expect(status().getByRole('button', { name: 'Pause sync' })).toBeTruthy();
  });

  test('before there is anything to back up: says so, with nothing to pause', async () => {
    const { api, kura } = await renderHome();
    kura.sync.start();
    await act(() => api.emitSync({ kind: 'in-sync' }));
    expect(status().getByText('Nothing is backed up yet')).toBeTruthy();
    expect(status().queryByRole('button', { name: 'Pause sync' })).toBeNull();
  });

  test('backups waiting to upload, with their size', async () => {
    const api = new HomeApi();
    api.pendingState = { commits: 3, stagedBytes: 12_500_000 };
    await withSources({ api });
    expect(await status().findByText('3 backups waiting to upload (13 MB)')).toBeTruthy();
  });

  test('in Japanese', async () => {
    const api = new HomeApi();
    api.pendingState = { commits: 3, stagedBytes: 12_500_000 };
    await withSources({ api, language: 'ja' });
    expect(await status().findByText('アップロード待ちのバックアップが3件あります（13 MB）')).toBeTruthy();
  });

  test('offline: backups are kept here and upload later', async () => {
    const api = new HomeApi();
    api.pendingState = { commits: 1, stagedBytes: 2_000_000 };
    await withSources({ api, online: false });
    expect(status().getByText('Backups are kept on this device and will upload when you are online')).toBeTruthy();
    expect(await status().findByText('1 backup waiting to upload (2 MB)')).toBeTruthy();
  });

  test('a sync error says why, and Retry syncs now', async () => {
    const user = userEvent.setup();
    const { api } = await withSources();
    await act(() => api.emitSync({ kind: 'error', code: 'network-unavailable' }));
    expect(status().getByText('Uploading stopped: The server cannot be reached. Check your connection.')).toBeTruthy();
    await user.click(status().getByRole('button', { name: 'Try again' }));
    expect(api.syncNow).toHaveBeenCalledTimes(1);
  });

  test('a sync error in Japanese', async () => {
    const { api } = await withSources({ language: 'ja' });
    await act(() => api.emitSync({ kind: 'error', code: 'quota-exceeded' }));
    expect(status().getByText(/^アップロードが停止しました：保存容量がいっぱいです。/)).toBeTruthy();
    expect(status().getByRole('button', { name: '再試行' })).toBeTruthy();
  });

  test('uploading shows parts, bytes, speed and time left; Pause sync and Resume sync', async () => {
    const user = userEvent.setup();
    const api = new HomeApi();
    api.pendingState = { commits: 2, stagedBytes: 5_000_000 };
    await withSources({ api });
    await act(() => api.emitSync({ kind: 'uploading', commitsLeft: 2, chunksDone: 12, chunksTotal: 40, bytesDone: 1_200_000, bytesTotal: 5_000_000, rate: 1_000_000, etaSeconds: 4 }));
    expect(status().getByText(/^Uploading 12 of 40 parts · 1\.2 MB of 5 MB · 1 MB\/s · about 5 sec left$/)).toBeTruthy();
    expect((status().getByRole('progressbar', { name: 'Upload progress' }) as HTMLProgressElement).value).toBe(1_200_000);

    await user.click(status().getByRole('button', { name: 'Pause sync' }));
    expect(api.pauseSync).toHaveBeenCalledTimes(1);
    expect(status().getByText('Uploading is paused')).toBeTruthy();
    await user.click(status().getByRole('button', { name: 'Resume sync' }));
    expect(api.resumeSync).toHaveBeenCalledTimes(1);
  });

  test('waiting to retry gives the reason and a Try now', async () => {
    const user = userEvent.setup();
    const { api } = await withSources();
    await act(() => api.emitSync({ kind: 'waiting', code: 'rate-limited' }));
    expect(status().getByText('Uploading will try again shortly')).toBeTruthy();
    expect(status().getByText('Too many attempts. Wait a minute and try again.')).toBeTruthy();
    await user.click(status().getByRole('button', { name: 'Try now' }));
    expect(api.syncNow).toHaveBeenCalledTimes(1);
  });
});

describe('Home: storage', () => {
  test('this device and the account, each a labelled meter with its figures', async () => {
    await withSources();
    const device = await storage().findByRole('meter', { name: /^On this device/ });
    expect(device.getAttribute('value')).toBe('250000000');
    expect(storage().getByText('250 MB used of 10 GB available')).toBeTruthy();
    expect(storage().getByText('Backups kept on this device are protected from automatic clean-up.')).toBeTruthy();
    const account = await storage().findByRole('meter', { name: /^In your Kura account/ });
    expect(account.getAttribute('max')).toBe('50000000000');
    expect(storage().getByText('1.5 GB of 50 GB used')).toBeTruthy();
  });

  test('the account meter is read again once uploads finish', async () => {
    const { api } = await withSources();
    await storage().findByText('1.5 GB of 50 GB used');
    api.accountUsage.mockResolvedValueOnce({ email: 'hana@example.jp', usageBytes: 2_500_000_000, quotaBytes: 50_000_000_000 });
    await act(() => api.emitSync({ kind: 'uploading', commitsLeft: 1, chunksDone: 1, chunksTotal: 2, bytesDone: 1, bytesTotal: 2, rate: 1, etaSeconds: 1 }));
    await act(() => api.emitSync({ kind: 'in-sync' }));
    expect(await storage().findByText('2.5 GB of 50 GB used')).toBeTruthy();
  });

  test('asks the browser to keep backups when storage is not persistent', async () => {
    const user = userEvent.setup();
    const api = new HomeApi();
    api.localStorageState.mockResolvedValueOnce({ persisted: false, usageBytes: 1_000, quotaBytes: 1_000_000 });
    await withSources({ api });
    expect(await storage().findByText(/may clear backups waiting on this device/)).toBeTruthy();
    await user.click(storage().getByRole('button', { name: 'Keep backups safe on this device' }));
    expect(api.requestPersistence).toHaveBeenCalledTimes(1);
    expect(await storage().findByText('Backups kept on this device are protected from automatic clean-up.')).toBeTruthy();
  });

  test('a refused request says what helps', async () => {
    const user = userEvent.setup();
    const api = new HomeApi();
    api.localStorageState.mockResolvedValue({ persisted: false, usageBytes: 1_000, quotaBytes: 1_000_000 });
    api.requestPersistence.mockResolvedValueOnce(false);
    await withSources({ api });
    await user.click(await storage().findByRole('button', { name: 'Keep backups safe on this device' }));
    expect(await storage().findByText(/Installing Kura as an app usually helps/)).toBeTruthy();
  });

  test('offline, the account usage is unavailable; this device still shows', async () => {
    await withSources({ online: false });
    expect(storage().getByText('Your account’s storage cannot be shown while you are offline.')).toBeTruthy();
    expect(storage().queryByRole('meter', { name: /^In your Kura account/ })).toBeNull();
    expect(await storage().findByRole('meter', { name: /^On this device/ })).toBeTruthy();
  });

  test('an unreachable server: unavailable, with Try again', async () => {
    const user = userEvent.setup();
    const api = new HomeApi();
    api.accountUsage.mockResolvedValueOnce(undefined);
    await withSources({ api });
    expect(await storage().findByText(/cannot be shown right now/)).toBeTruthy();
    await user.click(storage().getByRole('button', { name: 'Try again' }));
    expect(await storage().findByText('1.5 GB of 50 GB used')).toBeTruthy();
  });

  test('loading keeps the blocks in place', async () => {
    const api = new HomeApi();
    const held = api.hold('accountUsage');
    await withSources({ api });
    expect(storage().getAllByText('Loading…').length).toBe(1);
    await act(() => held.resolve({ email: 'a@b.c', usageBytes: 1, quotaBytes: 10 }));
    await waitFor(() => expect(storage().queryByText('Loading…')).toBeNull());
  });

  test('in Japanese', async () => {
    await withSources({ language: 'ja' });
    expect(await storage().findByText('10 GB中250 MBを使用')).toBeTruthy();
    expect(await storage().findByRole('meter', { name: /^Kuraアカウント/ })).toBeTruthy();
  });
});
