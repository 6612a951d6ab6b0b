import { cleanup, fireEvent, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import Viewer from '../../../src/app/components/viewers/Viewer.svelte';
import { formatDateTime } from '../../../src/app/i18n/format.ts';
import type { FileEntry } from '../../../src/core/manifest/snapshot.ts';
import { FakeApi, fileEntry } from '../fake-api.ts';
import { renderScreen } from '../render.ts';
import { stubObjectUrls, type ObjectUrls } from './fixtures.ts';

const exif = vi.hoisted(() => ({ parse: vi.fn<(blob: Blob, tags: string[]) => Promise<unknown>>() }));
vi.mock('exifr/dist/lite.esm.mjs', () => ({ default: exif }));

let urls: ObjectUrls;
beforeEach(() => {
  urls = stubObjectUrls();
  exif.parse.mockReset().mockResolvedValue(undefined);
});
afterEach(() => {
  cleanup();
  urls.restore();
});

function open(entry: FileEntry, options: Parameters<typeof renderScreen>[1] = {}, callbacks: { onprevious?: () => void; onnext?: () => void } = {}) {
  const onclose = vi.fn();
  const rendered = renderScreen(Viewer, { ...options, props: { entry, onclose, ...callbacks } });
  return { ...rendered, onclose, dialog: () => screen.getByRole('dialog') };
}

describe('the viewer', () => {
  test('shows a photo fitted, named by its file, with the date taken and the camera from EXIF', async () => {
    const taken = new Date(2024, 2, 12, 14, 5);
    exif.parse.mockResolvedValue({ DateTimeOriginal: taken, Make: 'Canon', Model: 'Canon EOS R6' });
    const entry = fileEntry('Photos/2024/IMG_0001.jpg', { type: 'image/jpeg', size: 2_400_000 });
    const { api } = open(entry);

    const img = await screen.findByRole('img', { name: 'IMG_0001.jpg' });
    expect(api.openFile).toHaveBeenCalledWith(entry);
    expect(img.getAttribute('src')).toBe('blob:kura/1');
    expect(urls.blobs.get('blob:kura/1')?.type).toBe('image/jpeg');
    expect(await screen.findByText(`Taken ${formatDateTime(taken.getTime(), 'en')} · Canon EOS R6`)).toBeTruthy();
    expect(exif.parse).toHaveBeenCalledWith(urls.blobs.get('blob:kura/1'), ['DateTimeOriginal', 'Make', 'Model']);
    // The header: name, folder, size and modified date.
    expect(screen.getByRole('heading', { name: 'IMG_0001.jpg' })).toBeTruthy();
    expect(screen.getByText('Photos/2024')).toBeTruthy();
    expect(screen.getByText('2.4 MB')).toBeTruthy();
    expect(screen.getByText(`Modified ${formatDateTime(entry.lastModified, 'en')}`)).toBeTruthy();
    expect(screen.getByRole('dialog', { name: 'IMG_0001.jpg' })).toBeTruthy();
  });

  test('a photo without EXIF shows no date line', async () => {
    open(fileEntry('scan.png', { type: 'image/png' }));
    const img = await screen.findByRole('img', { name: 'scan.png' });
    await waitFor(() => expect(exif.parse).toHaveBeenCalled());
    expect(img.closest('figure')?.querySelector('figcaption')?.textContent?.trim()).toBe('');
    expect(screen.queryByText(/Taken/)).toBeNull();
  });

  test('Download saves the decrypted file under its own name', async () => {
    open(fileEntry('Photos/IMG_0001.jpg', { type: 'image/jpeg' }));
    const link = await screen.findByRole('link', { name: 'Download' });
    expect(link.getAttribute('href')).toBe('blob:kura/1');
    expect(link.getAttribute('download')).toBe('IMG_0001.jpg');
  });

  test('a text file is shown as text, from the decrypted bytes', async () => {
    open(fileEntry('Notes/shopping.txt', { type: 'text/plain' }));
    const pre = await screen.findByText('content of Notes/shopping.txt');
    expect(pre.tagName).toBe('PRE');
    expect(screen.queryByText(/Showing the first/)).toBeNull();
  });

  test('a text file over 1 MB shows its first megabyte and says so', async () => {
    const api = new FakeApi();
    api.openFile.mockImplementationOnce(async () => new Blob(['x'.repeat(1024 * 1024 + 10)]));
    open(fileEntry('server.log'), { api });
    expect(await screen.findByText('Showing the first 1 MB. Download the file to see all of it.')).toBeTruthy();
    expect(document.querySelector('pre')?.textContent).toHaveLength(1024 * 1024);
  });

  test("a PDF opens in the browser's own viewer, with a way out if it does not show", async () => {
    open(fileEntry('Documents/lease.pdf'));
    const frame = await screen.findByTitle('lease.pdf (PDF document)');
    expect(frame.tagName).toBe('IFRAME');
    expect(frame.getAttribute('src')).toBe('blob:kura/1');
    expect(urls.blobs.get('blob:kura/1')?.type).toBe('application/pdf');
    expect(screen.getByRole('link', { name: 'Open it in a new tab' }).getAttribute('href')).toBe('blob:kura/1');
  });

  test("audio plays with the browser's controls", async () => {
    open(fileEntry('Music/song.mp3'));
    await waitFor(() => expect(document.querySelector('audio')).not.toBeNull());
    const audio = document.querySelector('audio')!;
    expect(audio.hasAttribute('controls')).toBe(true);
    expect(audio.getAttribute('src')).toBe('blob:kura/1');
    expect(urls.blobs.get('blob:kura/1')?.type).toBe('audio/mpeg');
  });

  test('video plays inline; one the browser cannot play says so and offers the download', async () => {
    open(fileEntry('Videos/IMG_1234.MOV', { type: 'video/quicktime' }));
    await waitFor(() => expect(document.querySelector('video')).not.toBeNull());
    const video = document.querySelector('video')!;
    expect(video.hasAttribute('controls')).toBe(true);
    expect(video.hasAttribute('playsinline')).toBe(true);
    expect(video.getAttribute('src')).toBe('blob:kura/1');

    await fireEvent.error(video);
    expect(screen.getByRole('heading', { name: "This browser can't play this file" })).toBeTruthy();
    expect(document.querySelector('video')).toBeNull();
    const downloads = screen.getAllByRole('link', { name: 'Download' });
    expect(downloads.every((a) => a.getAttribute('href') === 'blob:kura/1' && a.getAttribute('download') === 'IMG_1234.MOV')).toBe(true);
    expect(downloads).toHaveLength(2);
  });

  test('a kind with no viewer gets a card with Download', async () => {
    open(fileEntry('Backups/archive.zip', { type: 'application/zip' }));
    expect(await screen.findByRole('heading', { name: 'No preview for this kind of file' })).toBeTruthy();
    expect(screen.getAllByRole('link', { name: 'Download' })).toHaveLength(2);
    expect(urls.blobs.get('blob:kura/1')?.type).toBe('application/octet-stream');
  });

  test('an SVG is shown as its text, never drawn', async () => {
    open(fileEntry('logo.svg', { type: 'image/svg+xml' }));
    expect((await screen.findByText('content of logo.svg')).tagName).toBe('PRE');
    expect(screen.queryByRole('img')).toBeNull();
  });
});

describe('while decrypting and when it fails', () => {
  test('shows "Decrypting…" and holds the Download place until the file arrives', async () => {
    const api = new FakeApi();
    const held = api.hold<Blob>('openFile');
    open(fileEntry('Notes/a.txt', { type: 'text/plain' }), { api });
    expect(screen.getByRole('status').textContent).toContain('Decrypting…');
    expect((screen.getByRole('button', { name: 'Download' }) as HTMLButtonElement).disabled).toBe(true);
    expect(urls.create).not.toHaveBeenCalled();

    held.resolve(new Blob(['hello'], { type: 'text/plain' }));
    expect(await screen.findByText('hello')).toBeTruthy();
    expect(screen.queryByText('Decrypting…')).toBeNull();
    expect(screen.getByRole('link', { name: 'Download' })).toBeTruthy();
  });

  test.each(['restore-hash-mismatch', 'chunk-id-mismatch', 'envelope-auth-failed'] as const)('%s: says the file failed its integrity check and shows nothing of it', async (code) => {
    const api = new FakeApi();
    api.failNext('openFile', code);
    open(fileEntry('Photos/IMG_0001.jpg', { type: 'image/jpeg' }), { api });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('This file failed its integrity check, so nothing from it is shown.');
    expect(screen.queryByRole('img')).toBeNull();
    expect(urls.create).not.toHaveBeenCalled();
    expect((screen.getByRole('button', { name: 'Download' }) as HTMLButtonElement).disabled).toBe(true);
  });

  test('Retry opens the file again', async () => {
    const api = new FakeApi();
    api.failNext('openFile', 'internal');
    open(fileEntry('Notes/a.txt', { type: 'text/plain' }), { api });
    expect((await screen.findByRole('alert')).textContent).toContain('The server had a problem. Try again later.');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('content of Notes/a.txt')).toBeTruthy();
    expect(api.openFile).toHaveBeenCalledTimes(2);
  });

  test('offline, a file not kept on this device says so, and opens by itself when the connection is back', async () => {
    const api = new FakeApi();
    api.failNext('openFile', 'network-unavailable');
    const { kura } = open(fileEntry('Notes/a.txt', { type: 'text/plain' }), { api, online: false });
    expect((await screen.findByRole('alert')).textContent).toContain('This file is not on this device. Connect to the internet to view it.');

    kura.connectivity.online = true;
    expect(await screen.findByText('content of Notes/a.txt')).toBeTruthy();
    expect(api.openFile).toHaveBeenCalledTimes(2);
  });
});

describe('moving and closing', () => {
  test('Previous and Next, as buttons and as the arrow keys', async () => {
    const onprevious = vi.fn();
    const onnext = vi.fn();
    const { dialog } = open(fileEntry('a.txt'), {}, { onprevious, onnext });
    await userEvent.click(screen.getByRole('button', { name: 'Previous file' }));
    await userEvent.click(screen.getByRole('button', { name: 'Next file' }));
    await fireEvent.keyDown(dialog(), { key: 'ArrowLeft' });
    await fireEvent.keyDown(dialog(), { key: 'ArrowRight' });
    await fireEvent.keyDown(dialog(), { key: 'ArrowRight', altKey: true });
    expect(onprevious).toHaveBeenCalledTimes(2);
    expect(onnext).toHaveBeenCalledTimes(2);
  });

  test('no Previous or Next without a file to go to; the arrows then do nothing', async () => {
    const { dialog, onclose } = open(fileEntry('a.txt'));
    expect(screen.queryByRole('button', { name: 'Previous file' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Next file' })).toBeNull();
    await fireEvent.keyDown(dialog(), { key: 'ArrowLeft' });
    expect(onclose).not.toHaveBeenCalled();
  });

  test('the arrows stay with a playing video', async () => {
    const onnext = vi.fn();
    open(fileEntry('clip.mp4'), {}, { onnext });
    await waitFor(() => expect(document.querySelector('video')).not.toBeNull());
    await fireEvent.keyDown(document.querySelector('video')!, { key: 'ArrowRight' });
    expect(onnext).not.toHaveBeenCalled();
  });

  test('Close and Escape call onclose', async () => {
    const { dialog, onclose } = open(fileEntry('a.txt'));
    expect(dialog().hasAttribute('open')).toBe(true);
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    await fireEvent.keyDown(dialog(), { key: 'Escape' });
    expect(onclose).toHaveBeenCalledTimes(2);
  });

  test('each object URL is revoked when another file opens and when the viewer closes', async () => {
    const onclose = vi.fn();
    const { result } = renderScreen(Viewer, { props: { entry: fileEntry('one.txt'), onclose } });
    await screen.findByText('content of one.txt');
    expect(urls.create).toHaveBeenCalledTimes(1);

    await result.rerender({ entry: fileEntry('two.txt'), onclose });
    await screen.findByText('content of two.txt');
    expect(urls.revoke).toHaveBeenCalledWith('blob:kura/1');
    expect(urls.revoke).not.toHaveBeenCalledWith('blob:kura/2');

    result.unmount();
    expect(urls.revoke).toHaveBeenCalledWith('blob:kura/2');
    expect(urls.revoke).toHaveBeenCalledTimes(2);
  });

  test('a file that arrives after the viewer closed gets no URL', async () => {
    const api = new FakeApi();
    const held = api.hold<Blob>('openFile');
    const { result } = open(fileEntry('late.txt'), { api });
    result.unmount();
    held.resolve(new Blob(['late']));
    await new Promise((r) => setTimeout(r, 0));
    expect(urls.create).not.toHaveBeenCalled();
  });
});

describe('in Japanese', () => {
  test('every label and message', async () => {
    const api = new FakeApi();
    const held = api.hold<Blob>('openFile');
    open(fileEntry('写真/花火.jpg', { type: 'image/jpeg', size: 3_100_000 }), { api, language: 'ja' }, { onprevious: vi.fn(), onnext: vi.fn() });
    expect(screen.getByRole('status').textContent).toContain('復号しています…');
    expect(screen.getByRole('button', { name: '前のファイル' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '次のファイル' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '閉じる' })).toBeTruthy();
    expect(screen.getByText('3.1 MB')).toBeTruthy();
    expect(screen.getByText(/^更新日時：/)).toBeTruthy();

    const taken = new Date(2024, 7, 3, 19, 30);
    exif.parse.mockResolvedValue({ DateTimeOriginal: taken, Make: 'FUJIFILM', Model: 'X-T5' });
    held.resolve(new Blob([new Uint8Array([0xff, 0xd8])], { type: 'image/jpeg' }));
    expect(await screen.findByRole('img', { name: '花火.jpg' })).toBeTruthy();
    expect(await screen.findByText(`撮影日時：${formatDateTime(taken.getTime(), 'ja')} · FUJIFILM X-T5`)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'ダウンロード' })).toBeTruthy();
  });

  test('the integrity message', async () => {
    const api = new FakeApi();
    api.failNext('openFile', 'envelope-auth-failed');
    open(fileEntry('a.txt'), { api, language: 'ja' });
    expect((await screen.findByRole('alert')).textContent).toContain('整合性チェックに失敗');
    expect(screen.getByRole('button', { name: '再試行' })).toBeTruthy();
  });
});
