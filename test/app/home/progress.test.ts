/**
 * A backup run on the Home screen: its progress, pause/resume/cancel, one run at a time with the
 * rest waiting, how it ended (files, failures with reasons and Try again, nothing changed, a
 * calm "Cancelled", a full disk), what happens after (refresh, sync, notification).
 */
import { act, cleanup, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import type { BackupResult } from '../../../src/client/app-api.ts';
import { KuraError } from '../../../src/core/errors.ts';
import { HomeApi, folder, progress, renderHome, result } from './fixtures.ts';

const live = () => document.querySelector('[aria-live="polite"]')?.textContent?.trim();
const region = (name: string | RegExp) => within(screen.getByRole('region', { name }));

async function startRun(api = new HomeApi(), options: { language?: 'ja'; notifications?: boolean } = {}) {
  const user = userEvent.setup();
  if (api.sourceList.length === 0) api.sourceList = [folder()];
  const held = api.hold<BackupResult>('backUp');
  const rendered = await renderHome({ api, ...options });
  await user.click(screen.getAllByRole('button', { name: options.language === 'ja' ? '今すぐバックアップ' : 'Back up now' })[0]!);
  await waitFor(() => expect(api.backUp).toHaveBeenCalled());
  return { ...rendered, user, held };
}

describe('Home: a run in progress', () => {
  test('shows the bar, files and bytes, speed, time left and the current file as progress arrives', async () => {
    const { api } = await startRun();
    const panel = region('Backing up Photos');
    expect(panel.getByText('Looking for new and changed files…')).toBeTruthy();
    expect(live()).toBe('Backing up Photos.');
    expect(screen.getByText('Backing up…')).toBeTruthy(); // the status summary
    expect(within(screen.getByRole('heading', { level: 3, name: 'Photos' }).closest('li')!).getByText('Backing up now')).toBeTruthy();

    await act(() => api.lastProgress()(progress()));
    const bar = panel.getByRole('progressbar', { name: 'Backup progress of Photos' }) as HTMLProgressElement;
    expect(bar.value).toBe(1_200_000_000);
    expect(bar.max).toBe(4_800_000_000);
    expect(panel.getByText('1,234 of 5,000 files · 1.2 GB of 4.8 GB')).toBeTruthy();
    expect(panel.getByText('12 MB/s')).toBeTruthy();
    expect(panel.getByText(/about 3 min/)).toBeTruthy();
    expect(panel.getByText('Photos/2026/Trip/IMG_0001.jpg').getAttribute('title')).toBe('Photos/2026/Trip/IMG_0001.jpg');
    // The ticks are not announced: the live region still says only that the run started.
    await act(() => api.lastProgress()(progress({ filesDone: 2000 })));
    expect(panel.getByText('2,000 of 5,000 files · 1.2 GB of 4.8 GB')).toBeTruthy();
    expect(live()).toBe('Backing up Photos.');
  });

  test('in Japanese', async () => {
    const { api } = await startRun(new HomeApi(), { language: 'ja' });
    await act(() => api.lastProgress()(progress()));
    const panel = region('Photosをバックアップ中');
    expect(panel.getByText('5,000件中1,234件 · 4.8 GB中1.2 GB')).toBeTruthy();
    expect(panel.getByText(/残り約3/)).toBeTruthy();
    expect(panel.getByRole('button', { name: '一時停止' })).toBeTruthy();
  });

  test('Pause, Resume and Cancel; a cancelled run ends calmly', async () => {
    const { api, user, held } = await startRun();
    await act(() => api.lastProgress()(progress()));
    await user.click(screen.getByRole('button', { name: 'Pause' }));
    expect(api.pauseBackup).toHaveBeenCalledTimes(1);
    expect(screen.getByText('Paused. Nothing is read until you resume.')).toBeTruthy();
    expect(live()).toBe('Backup of Photos paused.');

    await user.click(screen.getByRole('button', { name: 'Resume' }));
    expect(api.resumeBackup).toHaveBeenCalledTimes(1);
    expect(live()).toBe('Backup of Photos resumed.');

    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(api.cancelBackup).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('button', { name: 'Stopping…' })).toBeTruthy();
    await act(() => held.reject(new KuraError('cancelled')));
    await screen.findByText(/^Cancelled\. Nothing was lost/);
    expect(screen.queryByRole('region', { name: 'Backing up Photos' })).toBeNull();
    expect(document.querySelector('.error')).toBeNull(); // not shown as an error
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    expect(live()).toBe('Backup of Photos cancelled.');
  });

  test('one run at a time: another Back up now waits its turn, and can be taken back', async () => {
    const user = userEvent.setup();
    const api = new HomeApi();
    api.sourceList = [folder(), folder({ id: 'src_music', name: 'Music' }), folder({ id: 'src_docs', name: 'Documents' })];
    const first = api.hold<BackupResult>('backUp');
    await renderHome({ api });
    const card = (name: string) => within(region('What you back up').getByRole('heading', { level: 3, name }).closest('li')!);
    await user.click(card('Photos').getByRole('button', { name: 'Back up now' }));
    await user.click(card('Music').getByRole('button', { name: 'Back up now' }));
    await user.click(card('Documents').getByRole('button', { name: 'Back up now' }));
    expect(card('Music').getByText('Waiting to start')).toBeTruthy();
    expect((card('Music').getByRole('button', { name: 'Back up now' }) as HTMLButtonElement).disabled).toBe(true);
    expect(api.backUp).toHaveBeenCalledTimes(1);

    await user.click(card('Documents').getByRole('button', { name: 'Don’t start' }));
    expect(card('Documents').queryByText('Waiting to start')).toBeNull();

    await act(() => first.resolve(result()));
    await waitFor(() => expect(api.backUp).toHaveBeenCalledTimes(2));
    expect(api.backUp.mock.calls[1]![0]).toBe('src_music');
    await waitFor(() => expect(screen.getAllByText(/^Backed up 3 files/).length).toBe(1));
    expect(api.backUp).toHaveBeenCalledTimes(2); // Documents was taken out of the queue
  });
});

describe('Home: how a run ended', () => {
  test('files backed up, with the unchanged count', async () => {
    const { held } = await startRun();
    await act(() => held.resolve(result()));
    const results = region('Latest results');
    expect(results.getByText('Backed up 120 files (3 unchanged)')).toBeTruthy();
    expect(live()).toBe('Backup of Photos finished.');
  });

  test('the files that failed, with translated reasons; Try again runs the source again', async () => {
    const { api, user, held } = await startRun();
    const failures = [
      { path: 'Photos/2026/IMG_0002.jpg', code: 'source-changed' as const, message: 'changed' },
      { path: 'Photos/2026/IMG_0003.mov', code: 'source-unreadable' as const, message: 'unreadable' },
    ];
    await act(() => held.resolve(result({ files: 118, unchanged: 0, failures })));
    const results = region('Latest results');
    expect(results.getByText('Backed up 118 files')).toBeTruthy();
    await user.click(results.getByText('2 files could not be backed up'));
    const items = results.getAllByRole('listitem').filter((li) => li.closest('details'));
    expect(items.map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Photos/2026/IMG_0002.jpg The file changed while it was being read. It will be backed up next time.',
      'Photos/2026/IMG_0003.mov The file or folder could not be read.',
    ]);
    await user.click(results.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(api.backUp).toHaveBeenCalledTimes(2));
    expect(api.backUp.mock.calls[1]![0]).toBe('src_photos');
  });

  test('failure reasons in Japanese', async () => {
    const { user, held } = await startRun(new HomeApi(), { language: 'ja' });
    await act(() => held.resolve(result({ files: 5, unchanged: 0, failures: [{ path: 'a.jpg', code: 'source-unreadable', message: 'x' }] })));
    const results = region('最近の結果');
    expect(results.getByText('5件のファイルをバックアップしました')).toBeTruthy();
    await user.click(results.getByText('1件のファイルをバックアップできませんでした'));
    expect(results.getByText('ファイルまたはフォルダーを読み取れませんでした。')).toBeTruthy();
    expect(results.getByRole('button', { name: '再試行' })).toBeTruthy();
  });

  test('nothing changed since the last backup', async () => {
    const { held } = await startRun();
    await act(() => held.resolve(result({ snapshotId: undefined, unchanged: 120 })));
    expect(region('Latest results').getByText('Nothing changed since the last backup')).toBeTruthy();
  });

  test('a full disk explains that the backup continues when there is room', async () => {
    const { api, user, held } = await startRun();
    await act(() => held.reject(new KuraError('quota-exceeded')));
    const results = region('Latest results');
    expect(results.getByText(/This device is out of space\..*continues from there when there is room/)).toBeTruthy();
    // Not "All backed up": the summary says the run did not finish, calmly.
    const summary = region('Status');
    expect(summary.getByText('The backup of Photos did not finish')).toBeTruthy();
    expect(summary.getByText('This device is out of space. The backup continues when there is room.')).toBeTruthy();
    expect(summary.queryByText('All backed up')).toBeNull();
    await user.click(results.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(api.backUp).toHaveBeenCalledTimes(2));
  });

  test('another failure gives its reason and a Try again', async () => {
    const { held } = await startRun();
    await act(() => held.reject(new KuraError('source-unreadable')));
    const results = region('Latest results');
    expect(results.getByText('The backup stopped: The file or folder could not be read.')).toBeTruthy();
    expect(results.getByRole('button', { name: 'Try again' })).toBeTruthy();
    expect(live()).toBe('Backup of Photos stopped. The file or folder could not be read.');
  });

  test('afterwards the sources, the pending count and the storage are read again, and the sync is woken', async () => {
    const { api, held } = await startRun();
    const before = { sources: api.sources.mock.calls.length, pending: api.pending.mock.calls.length, storage: api.localStorageState.mock.calls.length };
    expect(api.syncNow).not.toHaveBeenCalled();
    await act(() => held.resolve(result()));
    await waitFor(() => expect(api.syncNow).toHaveBeenCalledTimes(1));
    expect(api.sources.mock.calls.length).toBeGreaterThan(before.sources);
    expect(api.pending.mock.calls.length).toBeGreaterThan(before.pending);
    expect(api.localStorageState.mock.calls.length).toBeGreaterThan(before.storage);
  });
});

describe('Home: notifications', () => {
  test('sent when the run ends and the user turned them on', async () => {
    const { api, held } = await startRun(new HomeApi(), { notifications: true });
    await act(() => held.resolve(result({ failures: [{ path: 'a', code: 'source-changed', message: '' }] })));
    await waitFor(() => expect(api.notify).toHaveBeenCalledWith('Backup finished', 'Photos: 120 files backed up, 1 could not be read.'));
  });

  test('in Japanese', async () => {
    const { api, held } = await startRun(new HomeApi(), { notifications: true, language: 'ja' });
    await act(() => held.resolve(result()));
    await waitFor(() => expect(api.notify).toHaveBeenCalledWith('バックアップが完了しました', 'Photos：120件のファイルをバックアップしました。'));
  });

  test('not sent when they are off, nor for a cancelled run', async () => {
    const { api, held } = await startRun();
    await act(() => held.resolve(result()));
    await waitFor(() => expect(api.syncNow).toHaveBeenCalled());
    expect(api.notify).not.toHaveBeenCalled();
    cleanup();

    const second = await startRun(new HomeApi(), { notifications: true });
    await act(() => second.held.reject(new KuraError('cancelled')));
    await waitFor(() => expect(second.api.syncNow).toHaveBeenCalled());
    expect(second.api.notify).not.toHaveBeenCalled();
  });
});
