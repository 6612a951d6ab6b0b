/** The in-memory ObjectStore twin: objects in a Map, copied in and out like a disk would. */
import type { Bytes } from '../../src/core/bytes.ts';
import type { AccountId, ChunkId } from '../../src/core/ids.ts';
import type { ObjectStore } from './ports.ts';

export class MemoryObjectStore implements ObjectStore {
  private readonly objects = new Map<string, Uint8Array>();

  async put(accountId: AccountId, id: ChunkId, bytes: Uint8Array): Promise<void> {
    this.objects.set(`${accountId}/${id}`, bytes.slice());
  }

  async get(accountId: AccountId, id: ChunkId): Promise<Bytes | undefined> {
    const stored = this.objects.get(`${accountId}/${id}`);
    return stored && new Uint8Array(stored);
  }

  async delete(accountId: AccountId, id: ChunkId): Promise<void> {
    this.objects.delete(`${accountId}/${id}`);
  }

  async deleteAccount(accountId: AccountId): Promise<number> {
    let n = 0;
    for (const key of [...this.objects.keys()]) if (key.startsWith(`${accountId}/`) && this.objects.delete(key)) n++;
    return n;
  }

  async sweep(): Promise<number> {
    return 0;
  }
}
