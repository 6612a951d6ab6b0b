import { Uint8ArrayReader, Uint8ArrayWriter, ZipReader, type Entry } from '@zip.js/zip.js/lib/zip-core-custom.js';
import { describe, expect, test } from 'vitest';
import { concatBytes, fromUtf8, type Bytes } from '../../src/core/bytes.ts';
import { KuraError } from '../../src/core/errors.ts';
import type { ChunkId } from '../../src/core/ids.ts';
import type { FileEntry } from '../../src/core/manifest/snapshot.ts';
import { sealFile } from '../../src/core/pipeline/backup.ts';
import type { RestoredFile } from '../../src/client/restore/to-folder.ts';
import { restoreToZip, type RestoreToZipOptions } from '../../src/client/restore/to-zip.ts';
import { REPORT_NAME } from '../../src/client/restore/zip-report.ts';
import { collect, newAccountKeys, codeOf, pseudoRandomBytes } from '../core/helpers.ts';

const keys = await newAccountKeys();
const SMALL = { minSize: 1024, avgSize: 4096, maxSize: 16384 };
const store = new Map<ChunkId, Bytes>();
const fetchEnvelope = async (id: ChunkId) => store.get(id)!;
const TIME = Date.UTC(2024, 4, 17, 9, 30, 12);

async function backedUp(files: Record<string, Uint8Array>): Promise<FileEntry[]> {
  const entries: FileEntry[] = [];
  for (const [path, data] of Object.entries(files)) {
    for (const item of await collect(sealFile([data], keys, { path, lastModified: TIME, type: '' }, { chunking: SMALL }))) {
      if (item.kind === 'chunk' && item.envelope) store.set(item.id, concatBytes(...item.envelope));
      if (item.kind === 'file') entries.push(item.entry);
    }
  }
  return entries;
}

const data: Record<string, Bytes> = {
  '写真/2024/夏休み/海.jpg': pseudoRandomBytes(20_000, 1),
  'empty.txt': new Uint8Array(0),
  'notes/日記.txt': new TextEncoder().encode('今日は晴れ。'.repeat(2000)),
  'video/big.mp4': pseudoRandomBytes(1_500_000, 2),
};
const entries = await backedUp(data);
const entryAt = (path: string) => entries.find((e) => e.path === path)!;

/** A WritableStream that keeps what it is given, and how it ended. */
function collector() {
  const parts: Uint8Array[] = [];
  const state = { closed: false, aborted: undefined as unknown };
  const stream = new WritableStream<Uint8Array>({
    write: (piece) => void parts.push(piece.slice()),
    close: () => void (state.closed = true),
    abort: (reason) => void (state.aborted = reason ?? 'aborted'),
  });
  return { stream, state, written: () => parts.reduce((n, p) => n + p.length, 0), bytes: () => concatBytes(...parts) };
}

async function unzip(zip: Uint8Array): Promise<Map<string, { entry: Entry; bytes: Uint8Array }>> {
  const reader = new ZipReader(new Uint8ArrayReader(zip));
  const files = new Map<string, { entry: Entry; bytes: Uint8Array }>();
  for (const entry of await reader.getEntries()) {
    if (entry.directory) continue;
    files.set(entry.filename, { entry, bytes: await entry.getData(new Uint8ArrayWriter()) });
  }
  await reader.close();
  return files;
}

async function restore(list: readonly FileEntry[], options: Partial<RestoreToZipOptions> = {}) {
  const out = collector();
  const progress: [string, number, number][] = [];
  const results = await restoreToZip(out.stream, list, {
    keys,
    fetchEnvelope,
    onFile: (r, i, n) => void progress.push([r.path, i, n]),
    ...options,
  });
  return { results, progress, out, files: await unzip(out.bytes()) };
}

const statusOf = (results: RestoredFile[]) => results.map((r) => [r.path, r.status, r.code]);

describe('restore as a zip', () => {
  test('every file byte for byte under its own name (Japanese, nested, empty, many chunks), with its date', async () => {
    expect(entryAt('video/big.mp4').chunks.length).toBeGreaterThan(50);
    const { results, progress, out, files } = await restore(entries);
    expect(statusOf(results)).toEqual(entries.map((e) => [e.path, 'restored', undefined]));
    expect(progress.map(([, i, n]) => [i, n])).toEqual(entries.map((_, i) => [i, entries.length]));
    expect(out.state).toEqual({ closed: true, aborted: undefined });
    expect([...files.keys()].sort()).toEqual(Object.keys(data).sort());
    for (const [path, bytes] of Object.entries(data)) {
      const file = files.get(path)!;
      expect(Buffer.compare(file.bytes, bytes), path).toBe(0);
      expect(file.entry.lastModDate.getTime(), path).toBe(TIME);
    }
    expect(files.get('写真/2024/夏休み/海.jpg')!.entry.filenameUTF8).toBe(true);
  });

  test('photos and video are stored as they are; text is deflated', async () => {
    const { files } = await restore(entries);
    expect(files.get('写真/2024/夏休み/海.jpg')!.entry.compressionMethod).toBe(0);
    expect(files.get('video/big.mp4')!.entry.compressionMethod).toBe(0);
    const text = files.get('notes/日記.txt')!.entry;
    expect(text.compressionMethod).toBe(8);
    expect(text.compressedSize).toBeLessThan(text.uncompressedSize / 10);
  });

  test('a big file streams through: the zip has grown before its last chunk is even fetched', async () => {
    const big = entryAt('video/big.mp4');
    const out = collector();
    let writtenAtLastChunk = -1;
    await restoreToZip(out.stream, [big], {
      keys,
      fetchEnvelope: async (id) => {
        if (id === big.chunks.at(-1)) writtenAtLastChunk = out.written();
        return store.get(id)!;
      },
    });
    // zip.js hands on 256 KiB at a time; a writer that buffered the file would show 0 here.
    expect(writtenAtLastChunk).toBeGreaterThan(1_000_000);
  });

  test('a tampered chunk fails that file only: left out of the zip, reported in the zip and in the results', async () => {
    const victim = entryAt('notes/日記.txt');
    const tampered = async (id: ChunkId) => {
      const envelope = store.get(id)!.slice();
      if (id === victim.chunks[0]) envelope[envelope.length - 1]! ^= 1;
      return envelope;
    };
    const { results, files } = await restore(entries, { fetchEnvelope: tampered });
    expect(statusOf(results)).toEqual(entries.map((e) => (e === victim ? [e.path, 'failed', 'envelope-auth-failed'] : [e.path, 'restored', undefined])));
    expect(files.has(victim.path)).toBe(false);
    for (const [path, bytes] of Object.entries(data)) if (path !== victim.path) expect(Buffer.compare(files.get(path)!.bytes, bytes), path).toBe(0);
    const report = fromUtf8(files.get(REPORT_NAME)!.bytes);
    expect(report).toContain(`- notes/日記.txt\n    envelope-auth-failed: ${new KuraError('envelope-auth-failed').message}`);
    expect(report).toContain('復元できませんでした');
  });

  test('a whole-file hash that fails after every byte was streamed still fails the file', async () => {
    const photo = entryAt('写真/2024/夏休み/海.jpg');
    const wrongHash = { ...photo, hash: entryAt('video/big.mp4').hash };
    const { results, files } = await restore([wrongHash, entryAt('empty.txt')]);
    expect(statusOf(results)).toEqual([
      [photo.path, 'failed', 'restore-hash-mismatch'],
      ['empty.txt', 'restored', undefined],
    ]);
    expect([...files.keys()].sort()).toEqual([REPORT_NAME, 'empty.txt']);
  });

  test('unsafe or repeated paths in the selection are refused, and the report does not overwrite a file of its name', async () => {
    const [reportFile] = await backedUp({ [REPORT_NAME]: new Uint8Array([1, 2, 3]) });
    const photo = entryAt('写真/2024/夏休み/海.jpg');
    const { results, files } = await restore([reportFile!, photo, { ...photo, path: '../escape.jpg' }, photo]);
    expect(results.map((r) => [r.status, r.code])).toEqual([
      ['restored', undefined],
      ['restored', undefined],
      ['failed', 'invalid-argument'],
      ['failed', 'invalid-argument'],
    ]);
    expect([...files.keys()]).toEqual([REPORT_NAME, photo.path, 'KURA-RESTORE-REPORT (1).txt']);
    expect(Buffer.compare(files.get(REPORT_NAME)!.bytes, new Uint8Array([1, 2, 3]))).toBe(0);
  });

  test('a cancel mid-file rejects with cancelled and aborts the output', async () => {
    const controller = new AbortController();
    const big = entryAt('video/big.mp4');
    const out = collector();
    const done: string[] = [];
    const fetchOrCancel = async (id: ChunkId) => {
      if (id === big.chunks[10]) controller.abort();
      return store.get(id)!;
    };
    const settled = await codeOf(restoreToZip(out.stream, [entryAt('empty.txt'), big, entryAt('notes/日記.txt')], {
      keys,
      fetchEnvelope: fetchOrCancel,
      signal: controller.signal,
      onFile: (r) => void done.push(r.path),
    }));
    expect(settled).toBe('cancelled');
    expect(done).toEqual(['empty.txt']);
    expect(out.state.closed).toBe(false);
    expect(out.state.aborted).toMatchObject({ code: 'cancelled' });
  });

  test('a cancel does not wait for a chunk fetch that never answers', async () => {
    const controller = new AbortController();
    const big = entryAt('video/big.mp4');
    const out = collector();
    const hangThenCancel = (id: ChunkId) => {
      if (id !== big.chunks[0]) return fetchEnvelope(id);
      queueMicrotask(() => controller.abort());
      return new Promise<Bytes>(() => undefined);
    };
    expect(await codeOf(restoreToZip(out.stream, [big], { keys, fetchEnvelope: hangThenCancel, signal: controller.signal }))).toBe('cancelled');
    expect(out.state.aborted).toMatchObject({ code: 'cancelled' });
  });

  test('an already cancelled signal writes nothing', async () => {
    const out = collector();
    expect(await codeOf(restoreToZip(out.stream, entries, { keys, fetchEnvelope, signal: AbortSignal.abort() }))).toBe('cancelled');
    expect(out.written()).toBe(0);
  });

  test('an output that fails ends the restore with its error, not as a failed file', async () => {
    const full = new Error('disk full');
    let writes = 0;
    const failing = new WritableStream<Uint8Array>({
      write: () => {
        if (++writes > 2) throw full;
      },
    });
    const onFile: RestoredFile[] = [];
    expect(await codeOf(restoreToZip(failing, [entryAt('video/big.mp4')], { keys, fetchEnvelope, onFile: (r) => void onFile.push(r) }))).toBe(full);
    expect(onFile).toEqual([]);
  });
});
