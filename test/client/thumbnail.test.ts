/**
 * makeThumbnail's guards, in Node (no decoders here; real decoding is tested in Chromium, in
 * test/e2e/video-thumbnail.e2e.test.ts): it never throws, never streams a video whole, and a
 * video whose reads never finish is given up at the time limit.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { SourceFile } from '../../src/client/backup/source.ts';
import { makeThumbnail } from '../../src/client/backup/thumbnail.ts';
import { videoThumbnail } from '../../src/client/backup/thumbnail/video.ts';

function fake(path: string, parts: Partial<SourceFile> = {}): SourceFile {
  return {
    path,
    size: 1_000_000,
    lastModified: 0,
    type: '',
    open: () => Promise.reject(new Error('a video is never streamed for its thumbnail')),
    stat: async () => ({ size: 1_000_000, lastModified: 0 }),
    ...parts,
  };
}

/** A 20 GB Blob whose reads never answer, as a stalled network drive might. */
function stalledBlob(): Blob {
  const blob = new Blob([]);
  const never = () => new Promise<never>(() => undefined);
  return Object.assign(Object.defineProperty(blob, 'size', { value: 20e9 }), {
    slice: () => blob,
    stream: () => new ReadableStream<Uint8Array>({ pull: never }),
    arrayBuffer: never,
  });
}

afterEach(() => void vi.unstubAllGlobals());

describe('video thumbnails', () => {
  test('a video whose reads never finish gets none at the time limit', async () => {
    vi.stubGlobal('VideoDecoder', class {}); // Node has none; the read stalls long before decoding
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const started = Date.now();
      expect(await videoThumbnail(fake('clip.mp4', { size: 20e9, blob: async () => stalledBlob() }), 300)).toBeUndefined();
      expect(Date.now() - started).toBeGreaterThanOrEqual(290); // the guard, not an early error
      expect(Date.now() - started).toBeLessThan(2000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  test('a file that cannot even be opened in time is given up too', async () => {
    vi.stubGlobal('VideoDecoder', class {});
    const started = Date.now();
    expect(await videoThumbnail(fake('clip.mp4', { blob: () => new Promise<never>(() => undefined) }), 200)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('garbage with a video name is refused by the demuxer, not by the timeout', async () => {
    vi.stubGlobal('VideoDecoder', class {});
    const started = Date.now();
    const garbage = new Blob([new Uint8Array(100_000).fill(0x5a)]);
    expect(await videoThumbnail(fake('clip.mkv', { size: garbage.size, blob: async () => garbage }))).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('makeThumbnail never throws, and never streams a video', async () => {
    const failing = fake('clip.mov', { blob: () => Promise.reject(new DOMException('gone', 'NotFoundError')) });
    await expect(makeThumbnail(failing)).resolves.toBeUndefined();
    // A source that can only stream gets no video thumbnail rather than a whole-file read.
    await expect(makeThumbnail(fake('clip.webm'))).resolves.toBeUndefined();
    await expect(makeThumbnail(fake('clip.bin', { type: 'video/mp4' }))).resolves.toBeUndefined();
    // Not media at all: nothing is opened.
    const notes = fake('notes.ts', { blob: vi.fn(), open: vi.fn() });
    await expect(makeThumbnail(notes)).resolves.toBeUndefined();
    expect(notes.blob).not.toHaveBeenCalled();
    expect(notes.open).not.toHaveBeenCalled();
  });
});
