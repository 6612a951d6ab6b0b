/**
 * Browsers without the pickers (file inputs instead, backed up at once), and the run a crash or
 * reload cut short (a notice with Resume).
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import type { BackupResult } from '../../../src/client/app-api.ts';
import { HomeApi, folder, progress, renderHome, result } from './fixtures.ts';

function withoutPickers(): HomeApi {
  const api = new HomeApi();
  api.capabilities = { ...api.capabilities, folderPicker: false, filePicker: false };
  return api;
}

function file(name: string, relativePath = ''): File {
  const f = new File(['x'], name, { type: 'image/jpeg' });
  Object.defineProperty(f, 'webkitRelativePath', { value: relativePath });
  return f;
}

describe('Home: without the pickers', () => {
  test('offers labelled file inputs and says the files must be chosen again next time', async () => {
    await renderHome({ api: withoutPickers() });
    const folderInput = screen.getByLabelText('Add folder') as HTMLInputElement;
    expect(folderInput.type).toBe('file');
    expect(folderInput.hasAttribute('webkitdirectory')).toBe(true);
    const filesInput = screen.getByLabelText('Add files') as HTMLInputElement;
    expect(filesInput.multiple).toBe(true);
    expect(screen.queryByRole('button', { name: 'Add folder' })).toBeNull();
    expect(screen.getByText(/choose the files again for each backup/)).toBeTruthy();
  });

  test('a folder from the input is backed up at once, named after the folder', async () => {
    const api = withoutPickers();
    await renderHome({ api });
    const files = [file('a.jpg', 'Holiday 2026/a.jpg'), file('b.jpg', 'Holiday 2026/day 2/b.jpg')];
    await fireEvent.change(screen.getByLabelText('Add folder'), { target: { files } });
    expect(api.backUpInputFiles).toHaveBeenCalledWith(files, 'Holiday 2026', expect.any(Function));
    await screen.findByText('Backed up 2 files');
    expect(within(screen.getByRole('region', { name: 'Latest results' })).getByRole('heading', { level: 3, name: 'Holiday 2026' })).toBeTruthy();
  });

  test('files from the input are named after the first file; progress shows while they are read', async () => {
    const api = withoutPickers();
    const held = api.hold<BackupResult>('backUpInputFiles');
    await renderHome({ api });
    const files = [file('report.pdf'), file('notes.txt')];
    await fireEvent.change(screen.getByLabelText('Add files'), { target: { files } });
    expect(api.backUpInputFiles).toHaveBeenCalledWith(files, 'report.pdf', expect.any(Function));
    await act(() => api.lastProgress('backUpInputFiles')(progress({ filesDone: 1, filesTotal: 2, bytesDone: 1000, bytesTotal: 2000, currentFile: 'notes.txt' })));
    const panel = within(screen.getByRole('region', { name: 'Backing up report.pdf' }));
    expect(panel.getByText('1 of 2 files · 1 kB of 2 kB')).toBeTruthy();
    await act(() => held.resolve(result({ files: 2, unchanged: 0, failures: [{ path: 'notes.txt', code: 'source-unreadable', message: '' }] })));
    // No kept source to run again: the user is told to choose the files again.
    expect(await screen.findByText('To try again, choose these files again.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  test('the inputs stay below a list of sources', async () => {
    const api = withoutPickers();
    api.sourceList = [folder()];
    await renderHome({ api });
    expect(screen.getByLabelText('Add folder')).toBeTruthy();
    expect(screen.getByLabelText('Add files')).toBeTruthy();
  });
});

describe('Home: an interrupted run', () => {
  test('is offered again, and Resume takes it up with progress', async () => {
    const user = userEvent.setup();
    const api = new HomeApi();
    api.sourceList = [folder()];
    api.interrupted.mockResolvedValueOnce({ sourceId: 'src_photos', name: 'Photos' });
    const held = api.hold<BackupResult | undefined>('resumeInterrupted');
    await renderHome({ api });
    expect(await screen.findByText('A backup of Photos was interrupted.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Resume' }));
    expect(api.resumeInterrupted).toHaveBeenCalledWith(expect.any(Function));
    expect(screen.queryByText('A backup of Photos was interrupted.')).toBeNull();
    await act(() => api.lastProgress('resumeInterrupted')(progress()));
    expect(within(screen.getByRole('region', { name: 'Backing up Photos' })).getByText('1,234 of 5,000 files · 1.2 GB of 4.8 GB')).toBeTruthy();

    await act(() => held.resolve(result({ resumed: 40 })));
    expect(await screen.findByText('40 taken over from the interrupted backup.')).toBeTruthy();
    expect(screen.queryByText('A backup of Photos was interrupted.')).toBeNull();
    expect(api.backUp).not.toHaveBeenCalled();
  });

  test('in Japanese', async () => {
    const api = new HomeApi();
    api.interrupted.mockResolvedValueOnce({ sourceId: 'src_photos', name: '写真' });
    await renderHome({ api, language: 'ja' });
    expect(await screen.findByText('写真のバックアップが途中で中断されました。')).toBeTruthy();
    expect(screen.getByRole('button', { name: '再開' })).toBeTruthy();
  });

  test('nothing left to resume just clears the notice', async () => {
    const user = userEvent.setup();
    const api = new HomeApi();
    api.interrupted.mockResolvedValueOnce({ sourceId: 'src_photos', name: 'Photos' });
    await renderHome({ api });
    await user.click(await screen.findByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(api.syncNow).toHaveBeenCalled());
    expect(screen.queryByText('A backup of Photos was interrupted.')).toBeNull();
    expect(screen.queryByRole('region', { name: 'Latest results' })).toBeNull();
  });
});

describe('Home: files shared to the app or opened with it', () => {
  test('are backed up as a set of files, once, named after the first', async () => {
    const { api, kura } = await renderHome();
    const shared = [file('IMG_0001.jpg'), file('clip.mp4')];
    await act(() => kura.launched.add(shared));
    await waitFor(() => expect(api.backUpInputFiles).toHaveBeenCalledWith(shared, 'IMG_0001.jpg', expect.any(Function)));
    expect(api.backUpInputFiles).toHaveBeenCalledTimes(1);
    expect(kura.launched.files).toEqual([]);
  });

  test('contacts and calendar exports are left to the records import', async () => {
    const { api, kura } = await renderHome();
    const photo = file('IMG_0001.jpg');
    const contacts = file('contacts.vcf');
    await act(() => kura.launched.add([contacts, photo]));
    await waitFor(() => expect(api.backUpInputFiles).toHaveBeenCalledWith([photo], 'IMG_0001.jpg', expect.any(Function)));
    expect(kura.launched.recordFiles).toEqual([contacts]);
  });
});
