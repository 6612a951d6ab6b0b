/**
 * Video thumbnails in real Chromium: test videos are encoded in the page (mediabunny over
 * WebCodecs), written into an OPFS folder, and thumbnailed by makeThumbnail in a module worker over
 * that folder, as the engine worker does over a picked one.
 */
import type { Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchPersistentChromium, startDevServer, BLANK_PAGE } from './harness.ts';

let dev: ViteDevServer;
let origin: string;
let browser: Awaited<ReturnType<typeof launchPersistentChromium>>;
let page: Page;

beforeAll(async () => {
  const started = await startDevServer();
  dev = started.server;
  origin = started.url.replace(/\/$/, '');
  // On-disk OPFS, for the sparse 2 GiB file below.
  browser = await launchPersistentChromium();
  page = await browser.context.newPage();
  await page.goto(origin + BLANK_PAGE);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await dev?.close();
});

interface Thumb {
  readonly width: number;
  readonly height: number;
  readonly ms: number;
  readonly bytesRead: number;
  readonly size: number;
  /** RGB at 15% and 85% of the width (rotated: of the height), mid-way across. */
  readonly first: number[];
  readonly second: number[];
}
type Result = { made: Record<string, Thumb | { none: true; ms: number; bytesRead: number; size: number }>; unhandled: number; codecs: Record<string, string[]> };

/**
 * Runs `body` in the page with `fixture` (video-fixture.ts), `put(name, bytes, growMdatTo?)` to
 * write into the OPFS folder `folder`, then thumbnails that folder in the worker and decodes each
 * thumbnail. A string, not a function: vitest would rewrite a function's import() for Node.
 */
function inPage(folder: string, body: string): Promise<Result> {
  const script = `(async ({ origin, folder }) => {
      const fixture = await import(origin + '/test/e2e/video-fixture.ts');
      const worker = new Worker(origin + '/test/e2e/thumbnail.worker.ts', { type: 'module' });
      const ask = (message) => new Promise((resolve, reject) => {
        worker.onmessage = ({ data }) => (data.ok ? resolve(data) : reject(new Error(data.error)));
        worker.onerror = (e) => reject(new Error(e.message));
        worker.postMessage(message);
      });
      const put = (name, bytes, growMdatTo) => ask({ op: 'write', folder, name, bytes, growMdatTo });
      const codecs = await fixture.codecs();
      ${body}
      const { made, unhandled } = await ask({ op: 'thumbnails', folder });
      worker.terminate();
      const out = {};
      for (const [path, { thumb, ms, bytesRead, size }] of Object.entries(made)) {
        if (!thumb) { out[path] = { none: true, ms, bytesRead, size }; continue; }
        const bitmap = await createImageBitmap(new Blob([thumb]));
        const g = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
        g.drawImage(bitmap, 0, 0);
        const tall = bitmap.height > bitmap.width;
        const at = (f) => Array.from((tall ? g.getImageData(bitmap.width >> 1, Math.floor(bitmap.height * f), 1, 1)
          : g.getImageData(Math.floor(bitmap.width * f), bitmap.height >> 1, 1, 1)).data.slice(0, 3));
        out[path] = { width: bitmap.width, height: bitmap.height, ms, bytesRead, size, first: at(0.15), second: at(0.85) };
      }
      return { made: out, unhandled, codecs };
    })(${JSON.stringify({ origin, folder })})`;
  return page.evaluate(script) as Promise<Result>;
}

const isRed = (rgb: number[] | undefined) => rgb !== undefined && rgb[0]! > 150 && rgb[1]! < 100 && rgb[2]! < 100;
const isBlue = (rgb: number[] | undefined) => rgb !== undefined && rgb[2]! > 150 && rgb[0]! < 100 && rgb[1]! < 100;

test('the first frame of a WebM (VP8, VP9) and an MP4 (H.264) becomes a thumbnail of at most 320 px, aspect and colours kept', async () => {
  const result = await inPage(
    'videos',
    `
      for (const [name, container, codec] of [['vp8.webm', 'webm', 'vp8'], ['vp9.webm', 'webm', 'vp9'], ['avc.mp4', 'mp4', 'avc']]) {
        if (!codecs.encode.includes(codec)) continue;
        await put(name, await fixture.makeVideo({ container, codec, width: 640, height: 360, seconds: 2 }));
      }
      if (codecs.encode.includes('vp9')) await put('small.webm', await fixture.makeVideo({ container: 'webm', codec: 'vp9', width: 200, height: 120, seconds: 1 }));
    `,
  );
  // This Chromium (Debian's 156) encodes and decodes all three; a build without them fails here, loudly.
  expect(result.codecs.encode).toEqual(expect.arrayContaining(['vp8', 'vp9', 'avc']));
  expect(result.codecs.decode).toEqual(expect.arrayContaining(['vp8', 'vp9', 'avc']));
  for (const name of ['vp8.webm', 'vp9.webm', 'avc.mp4']) {
    const thumb = result.made[name] as Thumb;
    expect([name, thumb.width, thumb.height]).toEqual([name, 320, 180]);
    expect([name, isRed(thumb.first), isBlue(thumb.second)]).toEqual([name, true, true]);
  }
  // Never enlarged.
  expect([(result.made['small.webm'] as Thumb).width, (result.made['small.webm'] as Thumb).height]).toEqual([200, 120]);
  expect(result.unhandled).toBe(0);
  console.info('video thumbnail ms', Object.fromEntries(Object.entries(result.made).map(([k, v]) => [k, v.ms])));
}, 120_000);

test('rotation metadata is respected, and a video that opens on black is shown by a later frame', async () => {
  const result = await inPage(
    'turned',
    `
      await put('portrait.mp4', await fixture.makeVideo({ container: 'mp4', codec: 'avc', width: 640, height: 360, seconds: 1, rotation: 90 }));
      await put('fade-in.webm', await fixture.makeVideo({ container: 'webm', codec: 'vp9', width: 640, height: 360, seconds: 3, darkSeconds: 0.5 }));
    `,
  );
  const portrait = result.made['portrait.mp4'] as Thumb;
  // Turned a quarter clockwise: the left (red) half is now on top.
  expect([portrait.width, portrait.height]).toEqual([180, 320]);
  expect([isRed(portrait.first), isBlue(portrait.second)]).toEqual([true, true]);
  const fade = result.made['fade-in.webm'] as Thumb;
  expect([fade.width, fade.height, isRed(fade.first), isBlue(fade.second)]).toEqual([320, 180, true, true]);
}, 120_000);

test('garbage, truncated, audio-only and HEVC files named as videos get no thumbnail, quickly and quietly', async () => {
  const result = await inPage(
    'broken',
    `
      const mp4 = await fixture.makeVideo({ container: 'mp4', codec: 'avc', width: 640, height: 360, seconds: 2 });
      const webm = await fixture.makeVideo({ container: 'webm', codec: 'vp9', width: 640, height: 360, seconds: 2 });
      await put('garbage.mp4', crypto.getRandomValues(new Uint8Array(65536)));
      await put('garbage.mov', new TextEncoder().encode('not a movie at all, just text'.repeat(1000)));
      // The index (moov) of a plain MP4 is at its end: cut it off.
      await put('truncated.mp4', mp4.slice(0, mp4.length >> 1));
      // A WebM cut inside its header: no track description, no frame.
      await put('truncated.webm', webm.slice(0, 100));
      // Frames overwritten with noise: the container reads, the decoder refuses or yields junk.
      const noisy = mp4.slice(); crypto.getRandomValues(noisy.subarray(64, Math.min(noisy.length - 4096, 65536 + 64)));
      await put('noisy.mp4', noisy);
      if (codecs.audio.includes('opus')) await put('sound.webm', await fixture.makeAudioOnly());
      // H.264 relabelled as HEVC: a codec this Chromium has no decoder for.
      const hevc = mp4.slice();
      for (let i = 0; i + 4 <= hevc.length; i++) {
        const four = String.fromCharCode(...hevc.subarray(i, i + 4));
        if (four === 'avc1') hevc.set([104, 118, 99, 49], i);
        if (four === 'avcC') hevc.set([104, 118, 99, 67], i);
      }
      await put('hevc.mp4', hevc);
      await put('empty.webm', new Uint8Array(0));
    `,
  );
  expect(result.codecs.decode).not.toContain('hevc');
  const names = ['empty.webm', 'garbage.mov', 'garbage.mp4', 'hevc.mp4', 'sound.webm', 'truncated.mp4', 'truncated.webm'];
  for (const name of names) {
    const made = result.made[name]!;
    // Well inside the 10 s guard: these fail on their own errors, not on the timeout.
    expect([name, 'none' in made, made.ms < 3000]).toEqual([name, true, true]);
  }
  // Noise in the frames may still decode to some picture; what matters is that it ends, quickly.
  expect(result.made['noisy.mp4']!.ms).toBeLessThan(3000);
  expect(result.unhandled).toBe(0);
  console.info('undecodable ms', Object.fromEntries(Object.entries(result.made).map(([k, v]) => [k, v.ms])));
}, 120_000);

test('a 2 GiB video is thumbnailed from a few hundred KB of reads, its index first or last', async () => {
  const big = 2 * 1024 ** 3;
  const result = await inPage(
    'long',
    `
      const spec = { container: 'mp4', codec: 'avc', width: 1280, height: 720, seconds: 2 };
      await put('camera.mp4', await fixture.makeVideo(spec), ${big});
      await put('fast-start.mp4', await fixture.makeVideo({ ...spec, fastStart: true }), ${big});
    `,
  );
  for (const name of ['camera.mp4', 'fast-start.mp4']) {
    const long = result.made[name] as Thumb;
    expect([name, long.size]).toEqual([name, big]);
    expect([name, long.width, long.height, isRed(long.first), isBlue(long.second)]).toEqual([name, 320, 180, true, true]);
    expect(long.bytesRead).toBeLessThan(4 * 1024 ** 2);
    console.info('2 GiB video', name, { ms: long.ms, bytesRead: long.bytesRead });
  }
}, 120_000);
