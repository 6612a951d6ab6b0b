/**
 * Content-defined chunking of a byte stream with bounded memory.
 *
 * [Note: Borrowed chunk buffers]
 * A chunk's `bytes` is borrowed, not owned: it is a view into a buffer the chunker reuses (or into
 * an input block, when a whole chunk lies inside one). It stays valid while the consumer holds at
 * most `retain` chunks, i.e. until it asks for the `retain`-th chunk after it; `slice()` it to keep
 * it longer. Reusing buffers matters in the browser, where touching fresh memory is expensive
 * (DESIGN.md section 9). Input blocks must not be modified after they are produced (the usual
 * contract of a ReadableStream).
 *
 * Memory: `retain` buffers of at most maxSize each, plus the input block being read.
 */
import { asBytes, type Bytes } from '../bytes.ts';
import { KuraError } from '../errors.ts';
import { blocksOf, type ByteSource } from '../streams.ts';
import type { GearTable } from './gear.ts';
import { DEFAULT_CHUNKING, type ChunkingParams } from './params.ts';
import { CutScanner } from './scanner.ts';

export interface Chunk {
  /** Offset of the chunk's first byte in the stream. */
  readonly offset: number;
  /** Borrowed: see [Note: Borrowed chunk buffers]. */
  readonly bytes: Bytes;
}

export interface ChunkStreamOptions {
  readonly params?: ChunkingParams;
  /** How many of the most recent chunks stay valid (default 1). */
  readonly retain?: number;
}

export async function* chunkStream(
  source: ByteSource,
  gear: GearTable,
  options: ChunkStreamOptions = {},
): AsyncGenerator<Chunk> {
  const params = options.params ?? DEFAULT_CHUNKING;
  const scanner = new CutScanner(gear, params);
  const retain = options.retain ?? 1;
  if (!Number.isInteger(retain) || retain < 1) throw new KuraError('invalid-argument', { kind: 'retain', retain });

  // Buffers grow on demand, so a stream of small files never allocates maxSize per file.
  const buffers: Bytes[] = [];
  let current = 0;
  let fill = 0;
  let offset = 0;

  const append = (block: Uint8Array, from: number, to: number): void => {
    const need = fill + (to - from);
    let buffer = buffers[current];
    if (!buffer || buffer.length < need) {
      const grown = new Uint8Array(Math.min(params.maxSize, Math.max(need, 2 * (buffer?.length ?? 32 * 1024))));
      if (buffer && fill > 0) grown.set(buffer.subarray(0, fill));
      buffers[current] = buffer = grown;
    }
    buffer.set(block.subarray(from, to), fill);
    fill = need;
  };
  const takeBuffered = (): Chunk => {
    const chunk = { offset, bytes: buffers[current]!.subarray(0, fill) };
    offset += fill;
    fill = 0;
    current = (current + 1) % retain;
    return chunk;
  };

  for await (const block of blocksOf(source)) {
    let at = 0;
    while (at < block.length) {
      const { consumed, cut } = scanner.scan(block, at, block.length);
      if (cut && fill === 0) {
        // The whole chunk lies inside this block: hand out a view, no copy.
        const bytes = asBytes(block).subarray(at, at + consumed);
        yield { offset, bytes };
        offset += consumed;
      } else {
        append(block, at, at + consumed);
        if (cut) yield takeBuffered();
      }
      at += consumed;
    }
  }
  if (fill > 0) yield takeBuffered();
}
