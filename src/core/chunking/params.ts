import { KuraError } from '../errors.ts';

export interface ChunkingParams {
  /** No cut before this many bytes (except the end of the input). */
  readonly minSize: number;
  /** Target average; a power of two. Below it cuts are harder, above it easier (normalization). */
  readonly avgSize: number;
  /** A cut is forced here. */
  readonly maxSize: number;
}

/** DESIGN.md section 4: min 256 KiB, average 1 MiB, max 4 MiB. */
export const DEFAULT_CHUNKING: ChunkingParams = { minSize: 256 * 1024, avgSize: 1024 * 1024, maxSize: 4 * 1024 * 1024 };

/** Normalization level 2 of the FastCDC paper: the masks have avg bits ± 2. */
const NORMALIZATION = 2;

export interface ChunkingMasks {
  /** Mask used before the average size (more bits: harder to match). */
  readonly maskS: number;
  /** Mask used after the average size (fewer bits: easier to match). */
  readonly maskL: number;
}

export function checkChunkingParams(p: ChunkingParams): ChunkingMasks {
  const { minSize, avgSize, maxSize } = p;
  const bits = Math.log2(avgSize);
  const valid =
    [minSize, avgSize, maxSize].every(Number.isSafeInteger) &&
    Number.isInteger(bits) &&
    bits - NORMALIZATION >= 1 &&
    bits + NORMALIZATION <= 31 &&
    minSize >= 64 &&
    minSize <= avgSize &&
    avgSize <= maxSize &&
    maxSize <= 2 ** 30;
  if (!valid) throw new KuraError('chunking-params-invalid', { minSize, avgSize, maxSize });
  return { maskS: topBits(bits + NORMALIZATION), maskL: topBits(bits - NORMALIZATION) };
}

/**
 * A mask of the n bits just below bit 31 of the 32-bit gear hash. With h = (h << 1) + gear[b], high
 * bits depend on the last 31 bytes, low bits only on the last few: testing high bits gives the
 * widest content window for the cut decision. Bit 31 stays clear so the scanner can test h << 1
 * against mask << 1 (scanner.ts).
 */
function topBits(n: number): number {
  return ((2 ** n - 1) * 2 ** (31 - n)) | 0;
}
