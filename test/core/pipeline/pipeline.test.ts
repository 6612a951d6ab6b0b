import { describe, expect, test } from 'vitest';
import { concatBytes, type Bytes } from '../../../src/core/bytes.ts';
import type { ChunkId } from '../../../src/core/ids.ts';
import type { FileEntry } from '../../../src/core/manifest/snapshot.ts';
import { sealFile, type BackupItem, type BackupKeys, type BackupOptions } from '../../../src/core/pipeline/backup.ts';
import { openFile } from '../../../src/core/pipeline/restore.ts';
import { codeOf, collect, newAccountKeys, pseudoRandomBytes, streamOf } from '../helpers.ts';

const keys = await newAccountKeys();
const SMALL = { minSize: 1024, avgSize: 4096, maxSize: 16384 };

/** Backs up `data` into an in-memory chunk store; returns the entry, the store and the items. */
async function backUp(data: Uint8Array, options: BackupOptions = {}, accountKeys: BackupKeys = keys) {
  const store = new Map<ChunkId, Bytes>();
  const items = await collect(
    sealFile(streamOf(data, 5000), accountKeys, { path: 'dir/file.bin', lastModified: 7, type: 'application/octet-stream', size: data.length }, options),
  );
  for (const item of items) if (item.kind === 'chunk' && item.envelope) store.set(item.id, concatBytes(...item.envelope));
  const last = items.at(-1)!;
  if (last.kind !== 'file') throw new Error('the last item must be the file entry');
  return { entry: last.entry, store, chunks: items.filter((i): i is Extract<BackupItem, { kind: 'chunk' }> => i.kind === 'chunk') };
}

async function restore(entry: FileEntry, store: Map<ChunkId, Bytes>): Promise<Uint8Array> {
  const fetch = async (id: ChunkId) => {
    const envelope = store.get(id);
    if (!envelope) throw new Error(`missing ${id}`);
    return envelope;
  };
  return concatBytes(...(await collect(openFile(entry, keys, fetch, { concurrency: 3 }))));
}

describe('backup and restore pipeline', () => {
  test.each([0, 1, 1023, 1024, 100_000, 10 * 1024 * 1024 + 3])('restores a %i-byte file byte for byte', async (size) => {
    const data = pseudoRandomBytes(size, size + 1);
    const { entry, store } = await backUp(data, size > 1e6 ? {} : { chunking: SMALL });
    expect(entry).toMatchObject({ path: 'dir/file.bin', size, lastModified: 7, type: 'application/octet-stream' });
    expect(entry.chunks.length === 0).toBe(size === 0);
    expect(Buffer.compare(await restore(entry, store), data)).toBe(0);
  });

  test('a chunk repeated within a file is sealed once', async () => {
    const block = pseudoRandomBytes(16384, 3);
    const data = concatBytes(block, block, block, block);
    const { entry, chunks, store } = await backUp(data, { chunking: { minSize: 16384, avgSize: 16384, maxSize: 16384 } });
    expect(entry.chunks).toHaveLength(4);
    expect(new Set(entry.chunks).size).toBe(1);
    expect(chunks.filter((c) => c.envelope !== null)).toHaveLength(1);
    expect(Buffer.compare(await restore(entry, store), data)).toBe(0);
  });

  test('chunks the account already holds are not sealed again', async () => {
    const data = pseudoRandomBytes(200_000, 4);
    const first = await backUp(data, { chunking: SMALL });
    const again = await backUp(data, { chunking: SMALL, isKnown: (id) => first.store.has(id) });
    expect(again.entry).toEqual(first.entry);
    expect(again.chunks.every((c) => c.envelope === null)).toBe(true);
  });

  test('identical content gives identical ids in one account and different ids in two', async () => {
    const data = pseudoRandomBytes(300_000, 5);
    const a1 = await backUp(data, { chunking: SMALL });
    const a2 = await backUp(data, { chunking: SMALL });
    const b = await backUp(data, { chunking: SMALL }, await newAccountKeys());
    expect(a2.entry.chunks).toEqual(a1.entry.chunks);
    expect(a2.entry.hash).toBe(a1.entry.hash);
    expect(b.entry.chunks.filter((id) => a1.entry.chunks.includes(id))).toEqual([]);
    expect(b.entry.hash).not.toBe(a1.entry.hash);
  });

  test('a file that changed size while read is reported, not recorded', async () => {
    const data = pseudoRandomBytes(10_000, 6);
    const items = sealFile(streamOf(data), keys, { path: 'a', lastModified: 0, type: '', size: 9_999 }, { chunking: SMALL });
    expect(await codeOf(collect(items))).toBe('source-changed');
  });

  test('a read error from the source is passed on, not swallowed', async () => {
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new DOMException('The requested file could not be read', 'NotReadableError'));
      },
    });
    await expect(collect(sealFile(failing, keys, { path: 'a', lastModified: 0, type: '' }))).rejects.toThrow(/could not be read/);
  });

  describe('restore refuses, with a typed error, a server that', () => {
    const data = pseudoRandomBytes(100_000, 7);
    const backedUp = backUp(data, { chunking: SMALL });

    test('alters one envelope', async () => {
      const { entry, store } = await backedUp;
      const tampered = new Map(store);
      const id = entry.chunks[3]!;
      const bad = store.get(id)!.slice();
      bad[bad.length - 20]! ^= 1;
      tampered.set(id, bad);
      expect(await codeOf(restore(entry, tampered))).toBe('envelope-auth-failed');
    });

    test('serves one chunk in place of another', async () => {
      const { entry, store } = await backedUp;
      const swapped = new Map(store);
      swapped.set(entry.chunks[1]!, store.get(entry.chunks[2]!)!);
      expect(await codeOf(restore(entry, swapped))).toBe('envelope-auth-failed');
    });

    test('withholds a chunk', async () => {
      const { entry, store } = await backedUp;
      const partial = new Map(store);
      partial.delete(entry.chunks.at(-1)!);
      await expect(restore(entry, partial)).rejects.toThrow(/missing/);
    });
  });

  describe('restore verifies against the manifest entry', () => {
    test('a reordered chunk list fails the whole-file hash', async () => {
      const { entry, store } = await backUp(pseudoRandomBytes(100_000, 8), { chunking: SMALL });
      const chunks = [...entry.chunks];
      [chunks[0], chunks[1]] = [chunks[1]!, chunks[0]!];
      expect(await codeOf(restore({ ...entry, chunks }, store))).toBe('restore-hash-mismatch');
    });

    test('a wrong size fails before the hash', async () => {
      const { entry, store } = await backUp(pseudoRandomBytes(100_000, 9), { chunking: SMALL });
      expect(await codeOf(restore({ ...entry, size: entry.size + 1 }, store))).toBe('restore-size-mismatch');
    });
  });
});
