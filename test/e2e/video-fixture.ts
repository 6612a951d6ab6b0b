/**
 * Test videos made in the page by mediabunny with WebCodecs' encoders (whatever this Chromium has),
 * for the video thumbnail tests. Served by the Vite dev server and imported by page scripts.
 */
import {
  AudioSample,
  AudioSampleSource,
  BufferTarget,
  CanvasSource,
  Mp4OutputFormat,
  Output,
  WebMOutputFormat,
  getDecodableVideoCodecs,
  getEncodableAudioCodecs,
  getEncodableVideoCodecs,
  type Rotation,
  type VideoCodec,
} from 'mediabunny';

export async function codecs(): Promise<{ encode: VideoCodec[]; decode: VideoCodec[]; audio: string[] }> {
  return { encode: await getEncodableVideoCodecs(), decode: await getDecodableVideoCodecs(), audio: await getEncodableAudioCodecs(['opus', 'aac']) };
}

export interface VideoSpec {
  readonly container: 'webm' | 'mp4';
  readonly codec: VideoCodec;
  readonly width: number;
  readonly height: number;
  readonly seconds: number;
  /** Black frames for this long first, as in a fade-in; then the picture. */
  readonly darkSeconds?: number;
  readonly rotation?: Rotation;
  /** MP4 only: the index (moov) before the media data, as "fast start" files have it; else after, as cameras write it. */
  readonly fastStart?: boolean;
}

const FPS = 10;

/** Left half red, right half blue (after darkSeconds of black), with a moving stripe so frames differ. */
export async function makeVideo(spec: VideoSpec): Promise<Uint8Array> {
  const canvas = new OffscreenCanvas(spec.width, spec.height);
  const g = canvas.getContext('2d')!;
  const output = new Output({
    format: spec.container === 'webm' ? new WebMOutputFormat() : new Mp4OutputFormat({ fastStart: spec.fastStart ? 'in-memory' : false }),
    target: new BufferTarget(),
  });
  const source = new CanvasSource(canvas, { codec: spec.codec, bitrate: 2_000_000, keyFrameInterval: 1 });
  output.addVideoTrack(source, { frameRate: FPS, ...(spec.rotation ? { rotation: spec.rotation } : {}) });
  await output.start();
  for (let i = 0; i < spec.seconds * FPS; i++) {
    const t = i / FPS;
    if (t < (spec.darkSeconds ?? 0)) {
      g.fillStyle = '#000';
      g.fillRect(0, 0, spec.width, spec.height);
    } else {
      g.fillStyle = '#d22';
      g.fillRect(0, 0, spec.width / 2, spec.height);
      g.fillStyle = '#22d';
      g.fillRect(spec.width / 2, 0, spec.width / 2, spec.height);
      g.fillStyle = '#2d2';
      g.fillRect(((i * 7) % spec.width) | 0, spec.height - 8, 4, 8);
    }
    await source.add(t, 1 / FPS);
  }
  await output.finalize();
  return new Uint8Array(output.target.buffer!);
}

/** A WebM with one Opus track and no video: two seconds of a 440 Hz tone. */
export async function makeAudioOnly(): Promise<Uint8Array> {
  const output = new Output({ format: new WebMOutputFormat(), target: new BufferTarget() });
  const source = new AudioSampleSource({ codec: 'opus', bitrate: 64_000 });
  output.addAudioTrack(source);
  await output.start();
  const rate = 48_000;
  const data = new Float32Array(rate * 2);
  for (let i = 0; i < data.length; i++) data[i] = 0.2 * Math.sin((2 * Math.PI * 440 * i) / rate);
  const sample = new AudioSample({ data, format: 'f32', numberOfChannels: 1, sampleRate: rate, timestamp: 0 });
  await source.add(sample);
  sample.close();
  await output.finalize();
  return new Uint8Array(output.target.buffer!);
}
