/**
 * The FastCDC cut-point search as a resumable scanner: it keeps its position in the current chunk
 * and the rolling hash between calls, so a chunk's boundary depends only on its bytes, never on
 * how the input was split into blocks.
 *
 * FastCDC (Xia et al., USENIX ATC 2016): a gear rolling hash h = (h << 1) + gear[byte], no hashing
 * below the minimum size (a boundary cannot fall there), a strict mask up to the average size and
 * a loose one after it (normalized chunking keeps sizes close to the average), and a forced cut at
 * the maximum.
 *
 * Speed: the loop rolls two bytes per step (the "rolling two bytes" optimisation of FastCDC 2020):
 * after the first byte it holds h << 1, tested against mask << 1, which is the same test as
 * h & mask because the masks leave bit 31 clear (params.ts). Every byte is still a candidate.
 */
import type { GearTable } from './gear.ts';
import { checkChunkingParams, type ChunkingParams } from './params.ts';

export interface ScanResult {
  /** Bytes of the scanned range that belong to the current chunk. */
  readonly consumed: number;
  /** True when a boundary falls right after them; the scanner has started a new chunk. */
  readonly cut: boolean;
}

export class CutScanner {
  private readonly min: number;
  private readonly avg: number;
  private readonly max: number;
  private readonly maskS: number;
  private readonly maskL: number;
  private readonly gear: GearTable;
  /** gear[b] << 1, for the first byte of each two-byte step. */
  private readonly gearShifted: Int32Array;
  /** Bytes of the current chunk seen so far. */
  private pos = 0;
  private hash = 0;

  constructor(gear: GearTable, params: ChunkingParams) {
    const masks = checkChunkingParams(params);
    this.gear = gear;
    this.gearShifted = gear.map((g) => g << 1);
    this.min = params.minSize;
    this.avg = params.avgSize;
    this.max = params.maxSize;
    this.maskS = masks.maskS;
    this.maskL = masks.maskL;
  }

  /** Scans data[from, to); see ScanResult. */
  scan(data: Uint8Array, from: number, to: number): ScanResult {
    const gear = this.gear;
    const gearShifted = this.gearShifted;
    const base = this.pos - from; // the position in the chunk of data[i] is base + i
    let h = this.hash;
    // No boundary can fall below the minimum, so those bytes are not hashed at all.
    let i = Math.min(to, Math.max(from, this.min - base));

    let mask = this.maskS;
    let maskShifted = mask << 1;
    let end = Math.min(to, this.avg - base);
    for (let region = 0; region < 2; region++) {
      for (; i + 1 < end; i += 2) {
        h = ((h << 2) + gearShifted[data[i]!]!) | 0;
        if ((h & maskShifted) === 0) return this.boundary(i + 1 - from);
        h = (h + gear[data[i + 1]!]!) | 0;
        if ((h & mask) === 0) return this.boundary(i + 2 - from);
      }
      if (i < end) {
        h = ((h << 1) + gear[data[i]!]!) | 0;
        i++;
        if ((h & mask) === 0) return this.boundary(i - from);
      }
      mask = this.maskL;
      maskShifted = mask << 1;
      end = Math.min(to, this.max - base);
    }
    if (base + i === this.max) return this.boundary(i - from);
    this.pos = base + i;
    this.hash = h;
    return { consumed: i - from, cut: false };
  }

  private boundary(consumed: number): ScanResult {
    this.pos = 0;
    this.hash = 0;
    return { consumed, cut: true };
  }
}
