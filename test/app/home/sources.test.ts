/**
 * The Home screen's sources: the inviting empty state, adding a folder or files (a first backup
 * starts at once), the list with each source's last backup, Reconnect for a lapsed permission,
 * removing with a confirmation, loading and failing to load.
 */
import { act, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import type { SourceSummary } from '../../../src/client/app-api.ts';
import { HOUR, HomeApi, folder, renderHome } from './fixtures.ts';

const sourceList = () => within(screen.getByRole('region', { name: /What you back up|バックアップ対象/ }));
const sourceCard = (name: string) => sourceList().getByRole('heading', { level: 3, name }).closest('li') as HTMLElement;

describe('Home: the empty state', () => {
  test('invites to choose what to back up; Add folder opens the picker and backs the folder up at once', async () => {
    const user = userEvent.setup();
    const { api } = await renderHome();
    expect(screen.getByRole('heading', { level: 1, name: 'Backup' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 3, name: 'Choose what to back up' })).toBeTruthy();
    expect(screen.getByText('Nothing is backed up yet')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Add folder' }));
    expect(api.addFolder).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(api.backUp).toHaveBeenCalledWith('src_1', expect.any(Function)));
    // The run ends (the fake answers at once): the folder is listed and the result is shown.
    await screen.findByText('Backed up 3 files');
    expect(sourceCard('Photos')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Add folder' })).toBeTruthy(); // still offered below the list
  });

  test('Add files backs the picked files up; closing the picker does nothing', async () => {
    const user = userEvent.setup();
    const api = new HomeApi();
    api.addFolder.mockImplementationOnce(async () => undefined as unknown as SourceSummary); // the picker was closed
    await renderHome({ api });
    await user.click(screen.getByRole('button', { name: 'Add folder' }));
    await act(() => undefined);
    expect(api.backUp).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Add files' }));
    await waitFor(() => expect(api.backUp).toHaveBeenCalledWith('src_1', expect.any(Function)));
    expect(api.addFiles).toHaveBeenCalledTimes(1);
  });

  test('a picker that fails says why', async () => {
    const user = userEvent.setup();
    const api = new HomeApi();
    api.failNext('addFolder', 'source-unreadable');
    await renderHome({ api });
    await user.click(screen.getByRole('button', { name: 'Add folder' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The file or folder could not be read.');
    expect(api.backUp).not.toHaveBeenCalled();
  });
});

describe('Home: the source list', () => {
  test('shows each source with its kind and last backup, formatted', async () => {
    const api = new HomeApi();
    api.sourceList = [
      folder({ lastBackup: { at: Date.now() - 2 * HOUR, files: 1234, bytes: 1_200_000_000 } }),
      folder({ id: 'src_docs', kind: 'files', name: 'Tax 2025' }),
    ];
    await renderHome({ api });
    const photos = sourceCard('Photos');
    expect(within(photos).getByText('Folder')).toBeTruthy();
    expect(within(photos).getByText('Last backup 2 hours ago · 1,234 files · 1.2 GB')).toBeTruthy();
    const docs = sourceCard('Tax 2025');
    expect(within(docs).getByText('Files')).toBeTruthy();
    expect(within(docs).getByText('Not backed up yet')).toBeTruthy();
    expect(screen.getByText('All backed up')).toBeTruthy();
  });

  test('in Japanese', async () => {
    const api = new HomeApi();
    api.sourceList = [folder({ name: '写真', lastBackup: { at: Date.now() - 2 * HOUR, files: 1234, bytes: 1_200_000_000 } })];
    await renderHome({ api, language: 'ja' });
    expect(screen.getByRole('heading', { level: 1, name: 'バックアップ' })).toBeTruthy();
    const card = sourceCard('写真');
    expect(within(card).getByText('フォルダー')).toBeTruthy();
    expect(within(card).getByText('前回のバックアップ：2 時間前 · 1,234件 · 1.2 GB')).toBeTruthy();
    expect(within(card).getByRole('button', { name: '今すぐバックアップ' })).toBeTruthy();
    expect(screen.getByText('すべてバックアップ済みです')).toBeTruthy();
  });

  test('holds fixed-size placeholders while loading, then shows the list', async () => {
    const api = new HomeApi();
    api.sourceList = [folder()];
    const held = api.hold('sources');
    await renderHome({ api, loaded: false });
    expect(document.querySelectorAll('.skeleton[aria-hidden="true"]').length).toBeGreaterThanOrEqual(2);
    expect(screen.getByText('Loading…', { selector: '.visually-hidden' })).toBeTruthy();
    expect(screen.getByText('Checking your backups…')).toBeTruthy();
    await act(() => held.resolve([folder()]));
    expect(sourceCard('Photos')).toBeTruthy();
    expect(document.querySelector('[aria-busy="true"]')).toBeNull();
  });

  test('a list that cannot be read says why, and Try again reads it again', async () => {
    const user = userEvent.setup();
    const api = new HomeApi();
    api.sourceList = [folder()];
    api.failNext('sources', 'internal');
    await renderHome({ api, loaded: false });
    expect((await screen.findByRole('alert')).textContent).toBe('The server had a problem. Try again later.');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { level: 3, name: 'Photos' })).toBeTruthy();
    expect(api.sources).toHaveBeenCalledTimes(2);
  });

  test('offline, backing up is still offered (it is kept on this device)', async () => {
    const user = userEvent.setup();
    const api = new HomeApi();
    api.sourceList = [folder()];
    await renderHome({ api, online: false });
    const button = within(sourceCard('Photos')).getByRole('button', { name: 'Back up now' }) as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    await user.click(button);
    expect(api.backUp).toHaveBeenCalledWith('src_photos', expect.any(Function));
  });
});

describe('Home: permissions', () => {
  test('a folder asking for permission again leads with Reconnect; Back up now waits for it', async () => {
    const user = userEvent.setup();
    const api = new HomeApi();
    api.sourceList = [folder({ permission: 'prompt' })];
    await renderHome({ api });
    const card = sourceCard('Photos');
    expect(within(card).getByText(/Kura needs your permission again to read this folder\. Browsers ask again after they restart\./)).toBeTruthy();
    const backUp = within(card).getByRole('button', { name: 'Back up now' }) as HTMLButtonElement;
    expect(backUp.disabled).toBe(true);

    await user.click(within(card).getByRole('button', { name: 'Reconnect' }));
    expect(api.reconnect).toHaveBeenCalledWith('src_photos');
    await waitFor(() => expect(within(sourceCard('Photos')).queryByRole('button', { name: 'Reconnect' })).toBeNull());
    const enabled = within(sourceCard('Photos')).getByRole('button', { name: 'Back up now' }) as HTMLButtonElement;
    expect(enabled.disabled).toBe(false);
    await user.click(enabled);
    expect(api.backUp).toHaveBeenCalledWith('src_photos', expect.any(Function));
  });

  test('a refused reconnect says so and keeps the button', async () => {
    const user = userEvent.setup();
    const api = new HomeApi();
    api.sourceList = [folder({ permission: 'prompt' })];
    api.reconnect.mockImplementationOnce(async () => false);
    await renderHome({ api });
    await user.click(screen.getByRole('button', { name: 'Reconnect' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Permission was not given/);
    expect(screen.getByRole('button', { name: 'Reconnect' })).toBeTruthy();
  });

  test('a denied folder says to remove it and add it again', async () => {
    const api = new HomeApi();
    api.sourceList = [folder({ permission: 'denied' })];
    await renderHome({ api });
    const card = sourceCard('Photos');
    expect(within(card).getByText('Kura is no longer allowed to read this folder. Remove it and add it again.')).toBeTruthy();
    expect((within(card).getByRole('button', { name: 'Back up now' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('Home: removing a source', () => {
  test('asks first, then removes it; its backups stay', async () => {
    const user = userEvent.setup();
    const api = new HomeApi();
    api.sourceList = [folder(), folder({ id: 'src_music', name: 'Music' })];
    await renderHome({ api });
    await user.click(within(sourceCard('Photos')).getByRole('button', { name: 'Remove' }));
    const dialog = screen.getByRole('dialog', { name: 'Stop backing up Photos?' });
    expect(within(dialog).getByText(/Backups already made stay in your Kura account/)).toBeTruthy();
    expect(api.removeSource).not.toHaveBeenCalled();

    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(api.removeSource).toHaveBeenCalledWith('src_photos');
    await waitFor(() => expect(screen.queryByRole('heading', { level: 3, name: 'Photos' })).toBeNull());
    expect(sourceCard('Music')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: 'What you back up' }));
  });

  test('Cancel keeps the source', async () => {
    const user = userEvent.setup();
    const api = new HomeApi();
    api.sourceList = [folder()];
    await renderHome({ api });
    const trigger = within(sourceCard('Photos')).getByRole('button', { name: 'Remove' });
    await user.click(trigger);
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.removeSource).not.toHaveBeenCalled();
    expect(sourceCard('Photos')).toBeTruthy();
    expect(document.activeElement).toBe(trigger);
  });

  test('a failed removal says why inside the dialog', async () => {
    const user = userEvent.setup();
    const api = new HomeApi();
    api.sourceList = [folder()];
    api.failNext('removeSource', 'internal');
    await renderHome({ api });
    await user.click(screen.getByRole('button', { name: 'Remove' }));
    const dialog = screen.getByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('The server had a problem. Try again later.');
    expect(sourceCard('Photos')).toBeTruthy();
  });
});
