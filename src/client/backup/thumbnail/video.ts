/**
 * Video thumbnails, in the worker (no HTMLVideoElement there): mediabunny demuxes the container
 * and drives WebCodecs' VideoDecoder. It reads the file through a Blob, slice by slice (the
 * container's index, then the packets of one frame), so a 20 GB video costs a few MB of reads, not
 * 20 GB; its read cache is capped below. Videos the browser cannot decode (a codec without a
 * decoder, such as HEVC in most Chromium builds; a corrupt or truncated file; audio only) get none.
 */
import { BlobSource, CanvasSink, Input, MATROSKA, MP4, MPEG_TS, QTFF, WEBM, type InputVideoTrack, type WrappedCanvas } from 'mediabunny';
import type { Bytes } from '../../../core/bytes.ts';
import type { SourceFile } from '../source.ts';
import { encodeThumbnail, fitThumbnail } from './canvas.ts';

/**
 * A decoder that never answers, or a read that never ends, must not hold the backup: past this the
 * input is disposed (its reads cancelled, its decoders closed) and the video gets no thumbnail.
 * Files that are not decodable fail well before, on their own errors.
 */
export const VIDEO_TIME_LIMIT_MS = 10_000;

// Video containers only (no HLS, audio-only formats): fewer demuxers in the worker bundle.
const FORMATS = [MP4, QTFF, MATROSKA, WEBM, MPEG_TS];
const MAX_CACHE_BYTES = 4 * 1024 * 1024;
/** Mean luma (0-255) under which a frame counts as black: a fade-in, a lens still covered. */
const DARK = 20;

export async function videoThumbnail(file: SourceFile, timeLimitMs = VIDEO_TIME_LIMIT_MS): Promise<Bytes | undefined> {
  if (!file.blob || file.size === 0 || typeof VideoDecoder === 'undefined') return undefined;
  const open = file.blob.bind(file);
  let input: Input | undefined;
  let over = false;
  const work = (async () => {
    const blob = await open(); // getFile() too is inside the time limit
    if (over) return undefined;
    // Errors of reads nobody awaits any more (after dispose) must not surface as unhandled rejections.
    const source = new BlobSource(blob, { maxCacheSize: MAX_CACHE_BYTES, handleUnhandledError: () => undefined });
    input = new Input({ source, formats: FORMATS });
    return frameOf(input);
  })().catch(() => undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, timeLimitMs, undefined)));
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
    over = true;
    input?.dispose(); // cancels whatever still runs after a timeout: reads, decoders
  }
}

async function frameOf(input: Input): Promise<Bytes | undefined> {
  if (!(await input.canRead())) return undefined; // not a container we know, or garbage
  const track = await input.getPrimaryVideoTrack();
  if (!track || !(await track.canDecode())) return undefined;
  // Display size: pixel aspect ratio and rotation applied; the sink rotates and flips by the
  // track's metadata by default, so the thumbnail stands the way the video plays.
  const size = fitThumbnail(await track.getDisplayWidth(), await track.getDisplayHeight());
  const sink = new CanvasSink(track, { ...size, fit: 'fill' });
  const start = Math.max(0, await track.getFirstTimestamp()); // negative times are not shown
  // The first frame is the cheapest (a key frame, one decode) and, for camera videos, a fair
  // picture. Edited videos often open on black (a fade-in, seldom longer than a second), so a dark
  // first frame is replaced by the one at 1 s (mid-way in a clip shorter than 2 s): a decode from
  // the key frame before it, still cheap.
  const first = await sink.getCanvas(start);
  if (first && !isDark(first)) return encode(first);
  const later = await sink.getCanvas(start + Math.min(1, (await durationOf(track, start)) / 2));
  const chosen = later ?? first;
  return chosen ? encode(chosen) : undefined;
}

async function durationOf(track: InputVideoTrack, start: number): Promise<number> {
  const end = await track.getDurationFromMetadata().catch(() => null);
  return end !== null && end > start ? end - start : 2; // unknown: aim at 1 s
}

function isDark({ canvas }: WrappedCanvas): boolean {
  const data = offscreen(canvas).getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
  if (!data) return false;
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) sum += 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
  return sum / (data.length / 4) < DARK;
}

function encode({ canvas }: WrappedCanvas): Promise<Bytes> {
  return encodeThumbnail(offscreen(canvas));
}

/** The sink makes OffscreenCanvases in a worker, DOM canvases on a page. */
function offscreen(canvas: HTMLCanvasElement | OffscreenCanvas): OffscreenCanvas {
  if (canvas instanceof OffscreenCanvas) return canvas;
  const copy = new OffscreenCanvas(canvas.width, canvas.height);
  copy.getContext('2d')?.drawImage(canvas, 0, 0);
  return copy;
}
