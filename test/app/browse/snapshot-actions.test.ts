import { cleanup, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import SnapshotView from '../../../src/app/screens/browse/SnapshotView.svelte';
import { fileEntry } from '../fake-api.ts';
import { renderScreen } from '../render.ts';
import { apiWith, library, stubObjectUrls } from './fixtures.ts';

vi.mock('../../../src/app/components/viewers/Viewer.svelte', async () => ({ default: (await import('./ViewerStub.svelte')).default }));
vi.mock('../../../src/app/screens/restore/RestoreDialog.svelte', async () => ({ default: (await import('./RestoreStub.svelte')).default }));

let urls: ReturnType<typeof stubObjectUrls>;
beforeEach(() => (urls = stubObjectUrls()));
afterEach(() => {
  cleanup();
  urls.restore();
});

const grid = () => screen.getByRole('group', { name: 'Photos and videos' });
const files = () => document.querySelector<HTMLElement>('ul.files')!;
const names = (list: HTMLElement) => within(list).getAllByRole('listitem').map((li) => li.querySelector('.name')?.textContent);
const status = () => screen.getAllByRole('status').map((s) => s.textContent?.trim()).filter(Boolean);

const mixed = [
  fileEntry('Camera/IMG_0001.jpg', { type: 'image/jpeg' }),
  fileEntry('Camera/IMG_0002.jpg', { type: 'image/jpeg' }),
  fileEntry('Camera/写真ｶﾒﾗ.jpg', { type: '' }),
  fileEntry('Docs/Tax/2025.pdf', { type: 'application/pdf', size: 4000 }),
  fileEntry('Docs/notes.txt', { type: 'text/plain' }),
  fileEntry('readme.txt'),
];

async function open(entries = mixed) {
  const { api, id } = apiWith(entries);
  const user = userEvent.setup();
  renderScreen(SnapshotView, { api, props: { id } });
  await screen.findByRole('heading', { level: 1, name: 'Photos' });
  return { api, user };
}

describe('searching a snapshot', () => {
  test('filters the grid by name, case-insensitively, and says when nothing matches', async () => {
    const { user } = await open(library(10_000));
    const search = screen.getByRole('searchbox', { name: 'Search by name' });
    await user.type(search, 'img_00012');
    await waitFor(() => expect(status()).toContain('1 file matches'));
    expect(within(grid()).getAllByRole('button').map((b) => b.getAttribute('aria-label'))).toEqual(['IMG_00012.jpg']);

    await user.clear(search);
    await user.type(search, 'zzz');
    expect(await screen.findByText('No files match “zzz”')).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Photos and videos' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Clear search' }));
    expect(within(grid()).getAllByRole('button').length).toBeGreaterThan(10);
    expect((search as HTMLInputElement).value).toBe('');
  });

  test('finds Japanese names however they are typed, and lists matches with their folder in the Files view', async () => {
    const { user } = await open();
    await user.type(screen.getByRole('searchbox'), 'カメラ');
    await waitFor(() => expect(within(grid()).getAllByRole('button').map((b) => b.getAttribute('aria-label'))).toEqual(['写真ｶﾒﾗ.jpg']));
    await user.click(screen.getByRole('tab', { name: /Files/ }));
    expect(names(files())).toEqual(['写真ｶﾒﾗ.jpg']);
    expect(within(files()).getByText(/In Camera/)).toBeTruthy();
    expect(screen.queryByRole('navigation', { name: 'Folder' })).toBeNull();
  });
});

describe('the Files view', () => {
  test('folders first, then files; a folder opens, and the breadcrumbs lead back', async () => {
    const { user } = await open();
    await user.click(screen.getByRole('tab', { name: /Files/ }));
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('tab-files');
    expect(names(files())).toEqual(['Camera', 'Docs', 'readme.txt']);

    await user.click(screen.getByRole('button', { name: 'Docs, folder, 2 files' }));
    const crumbs = screen.getByRole('navigation', { name: 'Folder' });
    expect(within(crumbs).getByText('Docs').getAttribute('aria-current')).toBe('location');
    expect(names(files())).toEqual(['Tax', 'notes.txt']);

    await user.click(screen.getByRole('button', { name: 'Tax, folder, 1 file' }));
    expect(names(files())).toEqual(['2025.pdf']);
    expect(within(files()).getByText(/Document · 4 kB/)).toBeTruthy();

    await user.click(within(screen.getByRole('navigation', { name: 'Folder' })).getByRole('button', { name: 'Docs' }));
    expect(names(files())).toEqual(['Tax', 'notes.txt']);
    await user.click(within(screen.getByRole('navigation', { name: 'Folder' })).getByRole('button', { name: 'Photos' }));
    expect(names(files())).toEqual(['Camera', 'Docs', 'readme.txt']);
  });

  test('a file opens in the viewer, stepping through the files of its folder', async () => {
    const { user } = await open();
    await user.click(screen.getByRole('tab', { name: /Files/ }));
    await user.click(screen.getByRole('button', { name: 'Docs, folder, 2 files' }));
    await user.click(screen.getByRole('button', { name: /notes\.txt/ }));
    const viewer = screen.getByRole('dialog', { name: 'viewer' });
    expect(within(viewer).getByRole('heading').textContent).toBe('Docs/notes.txt');
    expect(within(viewer).queryByRole('button', { name: 'next' })).toBeNull();
  });

  test('a folder checkbox selects everything under it', async () => {
    const { user } = await open();
    await user.click(screen.getByRole('tab', { name: /Files/ }));
    await user.click(screen.getByRole('checkbox', { name: 'Select everything in Docs' }));
    expect(status()).toContain('2 selected');
    expect((screen.getByRole('checkbox', { name: 'Select everything in Docs' }) as HTMLInputElement).checked).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Restore 2 selected' }));
    const dialog = screen.getByRole('dialog', { name: 'restore' });
    expect(within(dialog).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Docs/Tax/2025.pdf', 'Docs/notes.txt']);
  });
});

describe('selecting and restoring', () => {
  test('checking tiles shows "Restore N selected", announces the count, and opens the restore dialog with them', async () => {
    const { user } = await open(library(50));
    expect(screen.queryByRole('button', { name: /selected/ })).toBeNull();
    await user.click(screen.getByRole('checkbox', { name: 'Select IMG_00001.jpg' }));
    expect(status()).toContain('1 selected');
    // Shift-click selects the range from the last one checked.
    await user.keyboard('{Shift>}');
    await user.click(screen.getByRole('checkbox', { name: 'Select IMG_00004.jpg' }));
    await user.keyboard('{/Shift}');
    expect(status()).toContain('4 selected');

    await user.click(screen.getByRole('button', { name: 'Restore 4 selected' }));
    const dialog = screen.getByRole('dialog', { name: 'restore' });
    expect(within(dialog).getByRole('heading').textContent).toBe('restore 4 from Photos');
    expect(within(dialog).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Camera/IMG_00001.jpg',
      'Camera/IMG_00002.jpg',
      'Camera/IMG_00003.mp4',
      'Camera/IMG_00004.jpg',
    ]);
    await user.click(within(dialog).getByRole('button', { name: 'close restore' }));
    expect(screen.queryByRole('dialog')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Clear selection' }));
    expect(screen.queryByRole('button', { name: /Restore \d+ selected/ })).toBeNull();
    expect(status()).not.toContain('4 selected');
  });

  test('Restore all opens the restore dialog with every file', async () => {
    const { user } = await open();
    await user.click(screen.getByRole('button', { name: 'Restore all' }));
    expect(within(screen.getByRole('dialog', { name: 'restore' })).getByRole('heading').textContent).toBe('restore 6 from Photos');
  });
});
