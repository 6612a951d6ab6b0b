import { cleanup, fireEvent, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { RestoredFile } from '../../../src/client/app-api.ts';
import { KuraError } from '../../../src/core/errors.ts';
import type { FileEntry } from '../../../src/core/manifest/snapshot.ts';
import RestoreDialog from '../../../src/app/screens/restore/RestoreDialog.svelte';
import { FakeApi } from '../fake-api.ts';
import { renderScreen } from '../render.ts';
import { folderMock, lastOnFile, photos, scriptNextRestore, zipMock } from './fixtures.ts';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function open(entries: readonly FileEntry[], options: { api?: FakeApi; language?: 'en' | 'ja'; online?: boolean } = {}) {
  const onclose = vi.fn();
  const rendered = renderScreen(RestoreDialog, { ...options, props: { entries, name: 'Photos', onclose } });
  return { ...rendered, onclose };
}

const start = () => userEvent.click(screen.getByRole('button', { name: 'Restore' }));

describe('choosing where', () => {
  test('says what will be restored, from where, and how much', () => {
    open(photos(1234, 3_650_000));
    expect(screen.getByRole('dialog', { name: 'Restore' })).toBeTruthy();
    expect(screen.getByText('Restore 1,234 files (4.5 GB) from Photos')).toBeTruthy();
  });

  test('one file', () => {
    open(photos(1));
    expect(screen.getByText('Restore 1 file (1 MB) from Photos')).toBeTruthy();
  });

  test.each([
    ['Keep both (add a number to the restored copy)', 'keep-both'],
    ['Replace existing files', 'overwrite'],
    ['Skip files that already exist', 'skip'],
  ] as const)('to a folder, "%s" restores with %s', async (label, collision) => {
    const entries = photos(3);
    const { api } = open(entries);
    expect((screen.getByRole('radio', { name: /To a folder on this device/ }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('radio', { name: 'Keep both (add a number to the restored copy)' }) as HTMLInputElement).checked).toBe(true);
    await userEvent.click(screen.getByRole('radio', { name: label }));
    await start();
    expect(api.restoreToFolder).toHaveBeenCalledWith(entries, collision, expect.any(Function));
    expect(api.restoreToZip).not.toHaveBeenCalled();
    expect(await screen.findByText('Restore finished.')).toBeTruthy();
  });

  test('a zip instead of a folder, when chosen; the collision choice then does not apply', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2026, 2, 5, 10, 0));
    const entries = photos(2);
    const { api } = open(entries);
    await userEvent.click(screen.getByRole('radio', { name: /Download as a zip file/ }));
    expect(screen.queryByRole('radio', { name: 'Replace existing files' })).toBeNull();
    expect(screen.getByText("Saved to your browser's downloads as Photos-2026-03-05.zip.")).toBeTruthy();
    await start();
    expect(api.restoreToZip).toHaveBeenCalledWith(entries, 'Photos-2026-03-05.zip', expect.any(Function));
    expect(api.restoreToFolder).not.toHaveBeenCalled();
    expect(await screen.findByText("The zip file Photos-2026-03-05.zip was saved to your browser's downloads.")).toBeTruthy();
  });

  test('without a folder picker, a dated zip is the only way, and no choice is asked', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2026, 10, 20, 23, 59));
    const api = new FakeApi();
    api.capabilities = { ...api.capabilities, folderPicker: false };
    const entries = photos(2);
    open(entries, { api });
    expect(screen.queryAllByRole('radio')).toHaveLength(0);
    expect(screen.getByText(/one zip file, Photos-2026-11-20\.zip, in your browser's downloads/)).toBeTruthy();
    await start();
    expect(api.restoreToZip).toHaveBeenCalledWith(entries, 'Photos-2026-11-20.zip', expect.any(Function));
  });

  test('Cancel and Escape close the dialog before anything starts', async () => {
    const { onclose, api } = open(photos(2));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(onclose).toHaveBeenCalledTimes(2);
    expect(api.restoreToFolder).not.toHaveBeenCalled();
  });

  test('offline: a warning, and restoring is still possible for what this device holds', () => {
    open(photos(2), { online: false });
    expect(screen.getByText(/You're offline\. Files that are only on the server/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Restore' })).toBeTruthy();
  });

  test('nothing selected: says so and offers nothing to start', () => {
    open([]);
    expect(screen.getByText(/No files are selected/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Restore' })).toBeNull();
  });

  test('closing the folder picker goes back to the choice, quietly', async () => {
    const api = new FakeApi();
    const held = api.hold<RestoredFile[] | undefined>('restoreToFolder');
    open(photos(2), { api });
    await userEvent.click(screen.getByRole('radio', { name: 'Skip files that already exist' }));
    await start();
    held.resolve(undefined);
    expect(await screen.findByRole('button', { name: 'Restore' })).toBeTruthy();
    expect((screen.getByRole('radio', { name: 'Skip files that already exist' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByText(/Restore finished|cancelled|stopped/)).toBeNull();
  });
});

describe('while restoring', () => {
  test('shows each file as it ends: "n of total files" and what happened so far', async () => {
    const api = new FakeApi();
    const held = api.hold<RestoredFile[]>('restoreToFolder');
    const entries = photos(1234);
    const { onclose } = open(entries, { api });
    await start();
    expect(screen.getByText('0 of 1,234 files')).toBeTruthy();

    const onFile = lastOnFile(folderMock(api));
    flushSync(() => {
      for (let i = 0; i < 310; i++) onFile({ path: entries[i]!.path, status: 'restored' }, i, 1234);
      onFile({ path: entries[310]!.path, status: 'skipped' }, 310, 1234);
      onFile({ path: entries[311]!.path, status: 'failed', code: 'restore-hash-mismatch' }, 311, 1234);
    });
    expect(screen.getByRole('status').textContent?.trim()).toBe('312 of 1,234 files');
    const progress = document.querySelector('progress')!;
    expect(progress.value).toBe(312);
    expect(progress.max).toBe(1234);
    expect(screen.getByText('310 restored and verified')).toBeTruthy();
    expect(screen.getByText('1 skipped')).toBeTruthy();
    expect(screen.getByText('1 failed')).toBeTruthy();

    // Escape does not walk away from a run.
    await fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(onclose).not.toHaveBeenCalled();
    held.resolve(entries.map((e) => ({ path: e.path, status: 'restored' })));
    expect(await screen.findByText('1,234 restored and verified')).toBeTruthy();
  });

  test('Cancel stops the run; what was restored stays, and the rest can be restored later', async () => {
    const api = new FakeApi();
    const held = api.hold<RestoredFile[]>('restoreToZip');
    api.capabilities = { ...api.capabilities, folderPicker: false };
    const entries = photos(5);
    open(entries, { api });
    await start();
    const onFile = lastOnFile(zipMock(api));
    flushSync(() => {
      onFile({ path: entries[0]!.path, status: 'restored' }, 0, 5);
      onFile({ path: entries[1]!.path, status: 'restored' }, 1, 5);
    });
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(api.cancelRestore).toHaveBeenCalledTimes(1);
    expect((screen.getByRole('button', { name: 'Stopping…' }) as HTMLButtonElement).disabled).toBe(true);

    held.reject(new KuraError('cancelled'));
    expect(await screen.findByText('Restore cancelled. The files restored before you cancelled are kept.')).toBeTruthy();
    expect(screen.getByText('2 restored and verified')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Restore the remaining 3 files' }));
    expect(zipMock(api).mock.calls.at(-1)?.[0]).toEqual(entries.slice(2));
  });

  test('a failure of the whole run is explained, and Try again restores what is left', async () => {
    const api = new FakeApi();
    api.failNext('restoreToFolder', 'network-unavailable');
    const entries = photos(3);
    open(entries, { api });
    await start();
    expect(await screen.findByText('The restore stopped before it finished.')).toBeTruthy();
    expect(screen.getByText('The server cannot be reached. Check your connection.')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(api.restoreToFolder).toHaveBeenLastCalledWith(entries, 'keep-both', expect.any(Function));
    expect(await screen.findByText('Restore finished.')).toBeTruthy();
  });
});

describe('the result', () => {
  test('counts, each file with failures first and their reason, and a retry of only the failed files', async () => {
    const api = new FakeApi();
    const entries = photos(6);
    scriptNextRestore(api, 'folder', (_e, i) =>
      i === 1 ? { status: 'failed', code: 'restore-hash-mismatch' } : i === 4 ? { status: 'failed', code: 'network-unavailable' } : i === 2 ? { status: 'skipped' } : i === 3 ? { status: 'restored', writtenAs: 'Photos/IMG_0004 (1).jpg' } : { status: 'restored' },
    );
    open(entries, { api });
    await start();
    expect(await screen.findByText('Restore finished.')).toBeTruthy();
    expect(screen.getByText('3 restored and verified')).toBeTruthy();
    expect(screen.getByText('1 skipped')).toBeTruthy();
    expect(screen.getByText('2 failed')).toBeTruthy();

    const items = within(screen.getByRole("region", { name: "Results for 6 files" })).getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('.path')?.textContent)).toEqual([
      'Photos/IMG_0002.jpg',
      'Photos/IMG_0005.jpg',
      'Photos/IMG_0003.jpg',
      'Photos/IMG_0001.jpg',
      'Photos/IMG_0004.jpg',
      'Photos/IMG_0006.jpg',
    ]);
    expect(items[0]!.textContent).toContain('Failed');
    expect(items[0]!.textContent).toContain('The restored file does not match its backup.');
    expect(items[1]!.textContent).toContain('The server cannot be reached.');
    expect(items[2]!.textContent).toContain('Skipped: already there');
    expect(items[4]!.textContent).toContain('Saved as Photos/IMG_0004 (1).jpg');
    expect(items[5]!.textContent).toContain('Restored and verified');

    await userEvent.click(screen.getByRole('button', { name: 'Try again for failed files' }));
    expect(api.restoreToFolder).toHaveBeenCalledTimes(2);
    expect(api.restoreToFolder).toHaveBeenLastCalledWith([entries[1], entries[4]], 'keep-both', expect.any(Function));
    expect(await screen.findByText('5 restored and verified')).toBeTruthy();
    expect(screen.queryByText(/failed$/)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Try again for failed files' })).toBeNull();
  });

  test('a zip with failures says they are listed in the report inside it', async () => {
    const api = new FakeApi();
    api.capabilities = { ...api.capabilities, folderPicker: false };
    scriptNextRestore(api, 'zip', (_e, i) => (i === 0 ? { status: 'failed', code: 'chunk-id-mismatch' } : { status: 'restored' }));
    open(photos(2), { api });
    await start();
    expect(await screen.findByText(/They are listed in KURA-RESTORE-REPORT\.txt inside it\./)).toBeTruthy();
  });

  test('a long result lists the first 500, problems first, and says so', async () => {
    const api = new FakeApi();
    scriptNextRestore(api, 'folder', (_e, i) => (i === 700 ? { status: 'failed', code: 'envelope-auth-failed' } : { status: 'restored' }));
    open(photos(800), { api });
    await start();
    expect(await screen.findByText('Showing the first 500 of 800. Problems are listed first.')).toBeTruthy();
    const items = document.querySelectorAll('ul.files > li');
    expect(items).toHaveLength(500);
    expect(items[0]!.textContent).toContain('Photos/IMG_0701.jpg');
  });

  test('Done closes', async () => {
    const { onclose } = open(photos(1));
    await start();
    await userEvent.click(await screen.findByRole('button', { name: 'Done' }));
    expect(onclose).toHaveBeenCalledTimes(1);
  });
});

describe('in Japanese', () => {
  test('the choice, the progress and the result', async () => {
    const api = new FakeApi();
    const held = api.hold<RestoredFile[]>('restoreToFolder');
    const entries = photos(1234, 3_650_000);
    open(entries, { api, language: 'ja' });
    expect(screen.getByRole('dialog', { name: '復元' })).toBeTruthy();
    expect(screen.getByText('Photosから1,234件のファイル（4.5 GB）を復元します')).toBeTruthy();
    expect(screen.getByRole('radio', { name: /この端末のフォルダに復元/ })).toBeTruthy();
    expect(screen.getByRole('radio', { name: '両方残す（復元したファイルの名前に番号を付けます）' })).toBeTruthy();
    expect(screen.getByRole('radio', { name: '既存のファイルを置き換える' })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: '復元する' }));

    const onFile = lastOnFile(folderMock(api));
    flushSync(() => onFile({ path: entries[0]!.path, status: 'restored' }, 0, 1234));
    expect(screen.getByRole('status').textContent?.trim()).toBe('1,234件中1件');
    expect(screen.getByRole('button', { name: 'キャンセル' })).toBeTruthy();

    held.resolve([{ path: entries[0]!.path, status: 'failed', code: 'restore-hash-mismatch' }, ...entries.slice(1).map((e) => ({ path: e.path, status: 'restored' as const }))]);
    expect(await screen.findByText('復元が完了しました。')).toBeTruthy();
    expect(screen.getByText('1,233件を復元・確認済み')).toBeTruthy();
    expect(screen.getByText('1件が失敗')).toBeTruthy();
    expect(screen.getByRole('button', { name: '失敗したファイルを再試行' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '完了' })).toBeTruthy();
  });
});
