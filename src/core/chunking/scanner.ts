/**
 * The FastCDC cut-point search as a resumable scanner: it keeps its position in the current chunk
 * and the rolling hash between calls, so a chunk's boundary depends only on its bytes, never on
 * how the input was split into blocks.
 *
 * FastCDC (Xia et al., USENIX ATC 2016): a gear rolling hash, no hashing below the minimum size
 * (a boundary cannot fall there), a strict mask up to the average size and a loose one after it
 * (normalized chunking keeps sizes close to the average), and a forced cut at the maximum.
 */
import type { GearTable } from './gear.ts';
import { checkChunkingParams, type ChunkingParams } from './params.ts';

export class CutScanner {
  private readonly min: number;
  private readonly avg: number;
  private readonly max: number;
  private readonly maskS: number;
  private readonly maskL: number;
  private readonly gear: GearTable;
  /** Bytes of the current chunk seen so far. */
  private pos = 0;
  private hash = 0;

  constructor(gear: GearTable, params: ChunkingParams) {
    const masks = checkChunkingParams(params);
    this.gear = gear;
    this.min = params.minSize;
    this.avg = params.avgSize;
    this.max = params.maxSize;
    this.maskS = masks.maskS;
    this.maskL = masks.maskL;
  }

  /**
   * Scans data[from, to). Returns how many bytes belong to the current chunk: if that is less than
   * to - from, or the chunk reached its maximum, a boundary falls right after them and the scanner
   * starts a new chunk (check `cut`). Returns to - from with cut = false when no boundary was found.
   */
  scan(data: Uint8Array, from: number, to: number): { consumed: number; cut: boolean } {
    const gear = this.gear;
    const base = this.pos - from; // the position in the chunk of data[i] is base + i
    let h = this.hash;
    // No boundary can fall below the minimum, so those bytes are not hashed at all.
    let i = Math.min(to, Math.max(from, this.min - base));

    const maskS = this.maskS;
    let end = Math.min(to, this.avg - base);
    while (i < end) {
      h = ((h << 1) + gear[data[i]!]!) | 0;
      i++;
      if ((h & maskS) === 0) return this.boundary(i - from);
    }
    const maskL = this.maskL;
    end = Math.min(to, this.max - base);
    while (i < end) {
      h = ((h << 1) + gear[data[i]!]!) | 0;
      i++;
      if ((h & maskL) === 0) return this.boundary(i - from);
    }
    if (base + i === this.max) return this.boundary(i - from);
    this.pos = base + i;
    this.hash = h;
    return { consumed: i - from, cut: false };
  }

  private boundary(consumed: number): { consumed: number; cut: boolean } {
    this.pos = 0;
    this.hash = 0;
    return { consumed, cut: true };
  }
}
