import { describe, expect, test } from 'vitest';
import { concatBytes, type Bytes } from '../../src/core/bytes.ts';
import type { ChunkId } from '../../src/core/ids.ts';
import type { FileEntry } from '../../src/core/manifest/snapshot.ts';
import { sealFile } from '../../src/core/pipeline/backup.ts';
import { restoreToFolder, type Collision } from '../../src/client/restore/to-folder.ts';
import { collect, newAccountKeys, pseudoRandomBytes } from '../core/helpers.ts';
import { MemoryDirectory } from './memory-fs.ts';

const keys = await newAccountKeys();
const SMALL = { minSize: 1024, avgSize: 4096, maxSize: 16384 };
const store = new Map<ChunkId, Bytes>();
const fetchEnvelope = async (id: ChunkId) => store.get(id)!;

async function backedUp(files: Record<string, Uint8Array>): Promise<FileEntry[]> {
  const entries: FileEntry[] = [];
  for (const [path, data] of Object.entries(files)) {
    for (const item of await collect(sealFile([data], keys, { path, lastModified: 0, type: '' }, { chunking: SMALL }))) {
      if (item.kind === 'chunk' && item.envelope) store.set(item.id, concatBytes(...item.envelope));
      if (item.kind === 'file') entries.push(item.entry);
    }
  }
  return entries;
}

const data = { 'a/b/深い/file.bin': pseudoRandomBytes(50_000, 1), 'empty.txt': new Uint8Array(0), 'photo.jpg': pseudoRandomBytes(9000, 2) };
const entries = await backedUp(data);
const restore = (dir: MemoryDirectory, collision: Collision, list = entries) => restoreToFolder(dir.asHandle(), list, { keys, fetchEnvelope, collision });

describe('restore into a folder', () => {
  test('every file byte for byte, nested folders created', async () => {
    const dir = new MemoryDirectory();
    const results = await restore(dir, 'skip');
    expect(results.map((r) => [r.status, r.code])).toEqual([["restored", undefined], ["restored", undefined], ["restored", undefined]]);
    for (const [path, bytes] of Object.entries(data)) expect(Buffer.compare(dir.read(path)!, bytes), path).toBe(0);
  });

  test.each<[Collision, string, string | undefined]>([
    ['skip', 'skipped', undefined],
    ['overwrite', 'restored', undefined],
    ['keep-both', 'restored', 'photo (2).jpg'],
  ])('an existing file with %s', async (collision, status, writtenAs) => {
    const dir = new MemoryDirectory();
    const old = new Uint8Array([1, 2, 3]);
    const photo = await dir.getFileHandle('photo.jpg', { create: true });
    photo.content = old;
    (await dir.getFileHandle('photo (1).jpg', { create: true })).content = old;
    const [result] = await restore(dir, collision, entries.filter((e) => e.path === 'photo.jpg'));
    expect(result).toEqual({ path: 'photo.jpg', status, ...(writtenAs ? { writtenAs } : {}) });
    expect(Buffer.compare(dir.read('photo.jpg')!, collision === 'overwrite' ? data['photo.jpg'] : old)).toBe(0);
    if (writtenAs) expect(Buffer.compare(dir.read(writtenAs)!, data['photo.jpg'])).toBe(0);
  });

  test('a file that fails verification is reported and leaves the existing one untouched; the rest go on', async () => {
    const dir = new MemoryDirectory();
    const old = new Uint8Array([9, 9, 9]);
    const deep = await (await (await (await dir.getDirectoryHandle('a', { create: true })).getDirectoryHandle('b', { create: true })).getDirectoryHandle('深い', { create: true })).getFileHandle('file.bin', { create: true });
    deep.content = old;
    const victim = entries[0]!.chunks.at(-1)!;
    const tampered = async (id: ChunkId) => {
      const envelope = store.get(id)!.slice();
      if (id === victim) envelope[envelope.length - 1]! ^= 1;
      return envelope;
    };
    const results = await restoreToFolder(dir.asHandle(), entries, { keys, fetchEnvelope: tampered, collision: 'overwrite' });
    expect(results.map((r) => [r.status, r.code])).toEqual([
      ['failed', 'envelope-auth-failed'],
      ['restored', undefined],
      ['restored', undefined],
    ]);
    expect(Buffer.compare(dir.read('a/b/深い/file.bin')!, old)).toBe(0);
  });

  test('a folder where a file should go is a failure of that file only', async () => {
    const dir = new MemoryDirectory();
    await dir.getDirectoryHandle('photo.jpg', { create: true });
    const results = await restore(dir, 'overwrite');
    expect(results.find((r) => r.path === 'photo.jpg')).toMatchObject({ status: 'failed', code: 'unknown' });
    expect(results.filter((r) => r.status === 'restored').map((r) => r.path)).toEqual(['a/b/深い/file.bin', 'empty.txt']);
  });
});
