import { cleanup, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import SnapshotView from '../../../src/app/screens/browse/SnapshotView.svelte';
import { formatDateTime } from '../../../src/app/i18n/format.ts';
import { fileEntry } from '../fake-api.ts';
import { makeKura, renderScreen } from '../render.ts';
import { apiWith, chunkId, library, stubObjectUrls } from './fixtures.ts';

vi.mock('../../../src/app/components/viewers/Viewer.svelte', async () => ({ default: (await import('./ViewerStub.svelte')).default }));
vi.mock('../../../src/app/screens/restore/RestoreDialog.svelte', async () => ({ default: (await import('./RestoreStub.svelte')).default }));

let urls: ReturnType<typeof stubObjectUrls>;
beforeEach(() => (urls = stubObjectUrls()));
afterEach(() => {
  cleanup();
  urls.restore();
});

const grid = () => screen.getByRole('group', { name: 'Photos and videos' });
const tiles = () => within(grid()).queryAllByRole('button');

describe('a snapshot', () => {
  test('the header says what it is: source, date, device, files and size, with Restore all', async () => {
    const { api, id } = apiWith([fileEntry('a.txt'), fileEntry('b.txt'), fileEntry('c/d.txt')]);
    renderScreen(SnapshotView, { api, props: { id } });
    expect(await screen.findByRole('heading', { level: 1, name: 'Photos' })).toBeTruthy();
    expect(screen.getByText(`Backed up ${formatDateTime(Date.UTC(2026, 10, 20, 9, 30), 'en')}`)).toBeTruthy();
    expect(screen.getByText('Hana’s laptop')).toBeTruthy();
    expect(screen.getByText('This device')).toBeTruthy();
    expect(screen.getByText('3 files · 3 kB')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'All backups' }).getAttribute('href')).toBe('#/browse');
    expect(api.manifest).toHaveBeenCalledWith(id);
    // No photos: the Files view is the one shown.
    expect(screen.getByRole('tab', { name: /Files/ }).getAttribute('aria-selected')).toBe('true');
  });

  test('10,000 photos: only a window of rows is in the DOM, under month headers', async () => {
    const { api, id } = apiWith(library(10_000));
    renderScreen(SnapshotView, { api, props: { id } });
    await screen.findByRole('heading', { level: 1, name: 'Photos' });
    expect(screen.getByRole('tab', { name: /Photos & videos/ }).getAttribute('aria-selected')).toBe('true');
    const shown = tiles().length;
    expect(shown).toBeGreaterThan(10);
    expect(shown).toBeLessThan(150);
    expect(within(grid()).getByRole('heading', { level: 2, name: 'November 2026' })).toBeTruthy();
    expect(within(grid()).getByRole('button', { name: 'IMG_00000.jpg' })).toBeTruthy();
    expect(within(grid()).getByRole('button', { name: 'IMG_00003.mp4, video' })).toBeTruthy();
    expect(within(grid()).queryByRole('button', { name: 'IMG_09999.jpg' })).toBeNull();
    // The grid is as tall as all its rows, so the page scrolls through all 10,000.
    expect(parseFloat(grid().style.height)).toBeGreaterThan(100 * 2000);
  });

  test('thumbnails are asked for only for rendered tiles, and their URLs revoked when the page closes', async () => {
    const { api, id } = apiWith(library(10_000));
    const { result } = renderScreen(SnapshotView, { api, props: { id } });
    await screen.findByRole('heading', { level: 1, name: 'Photos' });
    const shown = tiles().length;
    await waitFor(() => expect(result.container.querySelectorAll('img')).toHaveLength(shown));
    expect(api.thumbnail).toHaveBeenCalledTimes(shown);
    const asked = new Set(api.thumbnail.mock.calls.map((c) => c[0]));
    expect(asked.has(chunkId(0))).toBe(true);
    expect(asked.has(chunkId(9999))).toBe(false);
    expect(urls.create).toHaveBeenCalledTimes(shown);

    result.unmount();
    expect(urls.revoke.mock.calls.map((c) => c[0]).sort()).toEqual(urls.create.mock.results.map((r) => r.value).sort());
  });

  test('a photo without a thumbnail shows its kind instead, and asks for nothing', async () => {
    const { api, id } = apiWith([fileEntry('old.heic', { type: '' })]);
    const { result } = renderScreen(SnapshotView, { api, props: { id } });
    await screen.findByRole('button', { name: 'old.heic' });
    expect(result.container.querySelector('.tile svg')).toBeTruthy();
    expect(api.thumbnail).not.toHaveBeenCalled();
  });

  test('clicking a tile opens the viewer, which steps through the photos shown; focus goes to the last one shown', async () => {
    const user = userEvent.setup();
    const { api, id } = apiWith(library(30));
    renderScreen(SnapshotView, { api, props: { id } });
    const first = await screen.findByRole('button', { name: 'IMG_00000.jpg' });
    await user.click(first);
    const viewer = screen.getByRole('dialog', { name: 'viewer' });
    expect(within(viewer).getByRole('heading').textContent).toBe('Camera/IMG_00000.jpg');
    expect(within(viewer).queryByRole('button', { name: 'previous' })).toBeNull();
    await user.click(within(viewer).getByRole('button', { name: 'next' }));
    expect(within(viewer).getByRole('heading').textContent).toBe('Camera/IMG_00001.jpg');
    await user.click(within(viewer).getByRole('button', { name: 'previous' }));
    expect(within(viewer).getByRole('heading').textContent).toBe('Camera/IMG_00000.jpg');
    await user.click(within(viewer).getByRole('button', { name: 'next' }));
    await user.click(within(viewer).getByRole('button', { name: 'next' }));
    await user.click(within(viewer).getByRole('button', { name: 'close viewer' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('IMG_00002.jpg'));
    expect(first.tabIndex).toBe(-1);
  });

  test('arrow keys move focus between tiles; only one tile is in the Tab order', async () => {
    const user = userEvent.setup();
    const { api, id } = apiWith(library(30));
    renderScreen(SnapshotView, { api, props: { id } });
    const first = await screen.findByRole('button', { name: 'IMG_00000.jpg' });
    expect(tiles().filter((t) => t.tabIndex === 0)).toEqual([first]);
    first.focus();
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('IMG_00001.jpg');
    await user.keyboard('{ArrowDown}'); // five columns at the default width
    expect(document.activeElement?.getAttribute('aria-label')).toBe('IMG_00006.jpg');
    await user.keyboard('{Enter}');
    expect(within(screen.getByRole('dialog')).getByRole('heading').textContent).toBe('Camera/IMG_00006.jpg');
  });

  test('while the manifest opens: a status, an h1 and a skeleton grid', async () => {
    const { api, id } = apiWith(library(3));
    const held = api.hold('manifest');
    const { result } = renderScreen(SnapshotView, { api, props: { id } });
    expect(screen.getByRole('status').textContent).toBe('Opening the backup…');
    expect(screen.getByRole('heading', { level: 1, name: 'Opening the backup…' })).toBeTruthy();
    expect(result.container.querySelectorAll('.square')).toHaveLength(15);
    held.resolve(api.manifests.get(id));
    expect(await screen.findByRole('heading', { level: 1, name: 'Photos' })).toBeTruthy();
  });

  test('a snapshot that is gone says so, with the way back', async () => {
    const { api } = apiWith([]);
    renderScreen(SnapshotView, { api, props: { id: 'f'.repeat(32) } });
    expect(await screen.findByRole('heading', { level: 1, name: 'This backup no longer exists' })).toBeTruthy();
    expect(within(screen.getByRole('alert')).getByRole('link', { name: 'All backups' }).getAttribute('href')).toBe('#/browse');
  });

  test('a manifest failing its check is shown as an integrity failure, and Try again opens it', async () => {
    const user = userEvent.setup();
    const { api, id } = apiWith(library(3));
    api.failNext('manifest', 'envelope-auth-failed');
    renderScreen(SnapshotView, { api, props: { id } });
    expect(await screen.findByRole('heading', { level: 1, name: 'This backup failed its integrity check' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Photos' })).toBeTruthy();
  });

  test('offline and never opened here: says to connect, and opens by itself once back online', async () => {
    const { api, id } = apiWith(library(3));
    api.failNext('manifest', 'network-unavailable');
    const kura = makeKura(api, { online: false });
    renderScreen(SnapshotView, { kura, props: { id } });
    expect(await screen.findByRole('heading', { level: 1, name: 'This backup has not been opened on this device yet' })).toBeTruthy();
    expect(screen.getByText(/Connect to the internet to view it/)).toBeTruthy();
    kura.connectivity.online = true;
    expect(await screen.findByRole('heading', { level: 1, name: 'Photos' })).toBeTruthy();
    expect(api.manifest).toHaveBeenCalledTimes(2);
  });

  test('online but the server unreachable: says so rather than "connect", and Try again opens it', async () => {
    const user = userEvent.setup();
    const { api, id } = apiWith(library(3));
    api.failNext('manifest', 'network-unavailable');
    renderScreen(SnapshotView, { api, props: { id } });
    expect(await screen.findByText('The server cannot be reached. Check your connection.')).toBeTruthy();
    expect(screen.queryByText(/Connect to the internet/)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Photos' })).toBeTruthy();
  });

  test('in Japanese', async () => {
    const { api, id } = apiWith([fileEntry('a.jpg', { type: 'image/jpeg' }), fileEntry('b.txt'), fileEntry('c.txt')]);
    renderScreen(SnapshotView, { api, props: { id }, language: 'ja' });
    expect(await screen.findByText('ファイル3件・3 KB')).toBeTruthy();
    expect(screen.getByRole('tab', { name: /写真と動画/ })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'すべて復元' })).toBeTruthy();
    expect(screen.getByRole('searchbox', { name: '名前で検索' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: '2026年11月' })).toBeTruthy();
  });
});
