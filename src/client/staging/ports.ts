/**
 * Where sealed chunk envelopes wait on the device until the server has them (DESIGN.md section 5):
 * OPFS files written through sync access handles in a worker in the browser; a Map in tests. Only
 * ciphertext is ever given to it.
 */
import { concatBytes, type Bytes } from '../../core/bytes.ts';
import type { ChunkId } from '../../core/ids.ts';

export interface ChunkStaging {
  /** Stores the envelope (in the parts it was sealed in) durably before resolving. */
  put(id: ChunkId, parts: readonly Bytes[]): Promise<void>;
  get(id: ChunkId): Promise<Bytes | undefined>;
  /** The envelope as a Blob to send as it lies (a file in OPFS), without reading it into memory. */
  blob?(id: ChunkId): Promise<Blob | undefined>;
  delete(id: ChunkId): Promise<void>;
  /** Removes every stored envelope `keep` refuses and any half-written one; returns how many. */
  sweep?(keep: (id: string) => boolean): Promise<number>;
}

export class MemoryStaging implements ChunkStaging {
  private readonly chunks = new Map<ChunkId, Bytes>();

  async put(id: ChunkId, parts: readonly Bytes[]): Promise<void> {
    this.chunks.set(id, concatBytes(...parts));
  }

  async get(id: ChunkId): Promise<Bytes | undefined> {
    return this.chunks.get(id);
  }

  async blob(id: ChunkId): Promise<Blob | undefined> {
    const bytes = this.chunks.get(id);
    return bytes && new Blob([bytes as Uint8Array<ArrayBuffer>]);
  }

  async delete(id: ChunkId): Promise<void> {
    this.chunks.delete(id);
  }

  async sweep(keep: (id: string) => boolean): Promise<number> {
    const gone = [...this.chunks.keys()].filter((id) => !keep(id));
    for (const id of gone) this.chunks.delete(id);
    return gone.length;
  }

  get size(): number {
    return this.chunks.size;
  }
}
