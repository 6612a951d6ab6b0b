/**
 * A backup run over picked File objects (the fallback input's path), staged and committed to the
 * outbox, then synced to the real server and restored from it. Node's File and Blob streams stand
 * in for the browser's; IndexedDB is fake-indexeddb.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { fromBase64Url } from '../../src/core/bytes.ts';
import { newDeviceId, type ChunkId, type DeviceId } from '../../src/core/ids.ts';
import { openSnapshot } from '../../src/core/manifest/seal.ts';
import { openFile } from '../../src/core/pipeline/restore.ts';
import { ApiClient } from '../../src/client/api/client.ts';
import { PauseGate, runBackup, type BackupRunOptions } from '../../src/client/backup/run.ts';
import { isSystemPath, sourceFromFiles, type FileSource, type SourceFile } from '../../src/client/backup/source.ts';
import { KuraDb } from '../../src/client/db/database.ts';
import { MemoryStaging, type ChunkStaging } from '../../src/client/staging/ports.ts';
import { KuraError } from '../../src/core/errors.ts';
import { SyncEngine } from '../../src/client/sync/engine.ts';
import { codeOf, collect, newAccountKeys, pseudoRandomBytes } from '../core/helpers.ts';
import { pickedFile as file } from './files.ts';
import { MemoryFile } from './memory-fs.ts';
import { sourceFromFileHandles } from '../../src/client/backup/folder.ts';
import { registration, startServer, type TestServer } from '../server/harness.ts';

const keys = await newAccountKeys();
const SMALL = { minSize: 4096, avgSize: 16384, maxSize: 65536 };
let server: TestServer;
let origin: string;
beforeAll(async () => {
  server = await startServer();
  origin = server.origin;
});
afterAll(() => server.close());


const tree = () => [
  file('写真/2026/旅行 京都.jpg', pseudoRandomBytes(150_000, 1)),
  file('写真/2026/empty.txt', ''),
  file('docs/notes.txt', 'MARKER-CONTENT-7f3a the plan for tomorrow'),
  file('docs/MARKER-NAME-91bc.pdf', pseudoRandomBytes(40_000, 2)),
  file('docs/.DS_Store', 'finder junk'),
  file('music/__MACOSX/._song.mp3', 'apple double'),
];

let db: KuraDb;
let staging: MemoryStaging;
const deviceId = newDeviceId() as DeviceId;
beforeEach(() => {
  db = new KuraDb(`kura-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  staging = new MemoryStaging();
});

const run = (source: FileSource, extra: Partial<BackupRunOptions> = {}) =>
  runBackup({ db, staging, keys, deviceId, source, sourceName: 'Home', chunking: SMALL, ...extra });

describe('backup run', () => {
  test('skips system files, stages envelopes, and puts one commit in the outbox', async () => {
    expect(['a/.DS_Store', 'a/._x', 'Thumbs.db', '$RECYCLE.BIN/a', 'a/b.jpg'].map(isSystemPath)).toEqual([true, true, true, true, false]);
    const progress: number[] = [];
    const result = await run(sourceFromFiles('home', tree()), { onProgress: (p) => progress.push(p.filesDone) });
    expect(result).toMatchObject({ files: 4, unchanged: 0, failures: [] });
    expect(result.snapshotId).toBeDefined();
    expect(result.newChunks).toBe(await db.staged.count());
    expect(staging.size).toBe(result.newChunks);
    expect(progress.at(-1)).toBe(4);
    const commit = (await db.outbox.toArray())[0]!;
    const manifest = await openSnapshot(keys.manifest, commit.sealed, { id: commit.snapshotId });
    expect(manifest.entries.map((e) => [e.path, e.size])).toEqual([
      ['docs/MARKER-NAME-91bc.pdf', 40_000],
      ['docs/notes.txt', 41],
      ['写真/2026/empty.txt', 0],
      ['写真/2026/旅行 京都.jpg', 150_000],
    ]);
  });

  test('a re-run over unchanged files reads nothing and makes no snapshot', async () => {
    await run(sourceFromFiles('home', tree()));
    const staged = await db.staged.count();
    const result = await run(sourceFromFiles('home', tree()));
    expect(result).toMatchObject({ snapshotId: undefined, unchanged: 4, bytesRead: 0, newChunks: 0 });
    expect(await db.staged.count()).toBe(staged);
    expect(await db.outbox.count()).toBe(1);
  });

  test('a changed and a deleted file make a new snapshot that reads only the changed one', async () => {
    await run(sourceFromFiles('home', tree()));
    const next = tree().filter((f) => !f.name.startsWith('MARKER-NAME'));
    next[2] = file('docs/notes.txt', 'new text', 1_800_000_000_000);
    const result = await run(sourceFromFiles('home', next));
    expect(result).toMatchObject({ files: 3, unchanged: 2, bytesRead: 8 });
    const commits = await db.outbox.orderBy('createdAt').toArray();
    expect(commits.map((c) => c.counter)).toEqual([1, 2]);
    const manifest = await openSnapshot(keys.manifest, commits[1]!.sealed, { id: commits[1]!.snapshotId });
    expect(manifest.entries.map((e) => e.path)).toEqual(['docs/notes.txt', '写真/2026/empty.txt', '写真/2026/旅行 京都.jpg']);
  });

  test('an unreadable file is reported and keeps its last good version; the rest go on', async () => {
    await run(sourceFromFiles('home', tree()));
    const broken: FileSource = {
      id: 'home',
      async *list(onFailure) {
        onFailure({ path: 'docs/locked', error: new DOMException('denied', 'NotAllowedError') });
        for await (const f of sourceFromFiles('home', tree()).list(() => undefined)) {
          if (f.path !== 'docs/notes.txt') {
            yield f;
            continue;
          }
          yield { ...f, lastModified: f.lastModified + 1, open: async () => Promise.reject(new DOMException('gone', 'NotReadableError')) } satisfies SourceFile;
        }
      },
    };
    const result = await run(broken);
    expect(result.failures).toEqual([
      { path: 'docs/locked', code: 'source-unreadable', message: 'denied' },
      { path: 'docs/notes.txt', code: 'source-unreadable', message: 'gone' },
    ]);
    expect(result.snapshotId).toBeUndefined(); // nothing else changed, and notes.txt keeps its last version
  });

  test('a file that changes while read is read again, and reported if it keeps changing', async () => {
    let stats = 0;
    const flaky = (settles: boolean): FileSource => ({
      id: `flaky-${settles}`,
      async *list() {
        const f = file('a.bin', pseudoRandomBytes(30_000, 5));
        yield {
          path: 'a.bin',
          size: f.size,
          lastModified: f.lastModified,
          type: '',
          open: async () => f.stream() as ReadableStream<Uint8Array>,
          stat: async () => (++stats === 1 || !settles ? { size: f.size, lastModified: Date.now() } : { size: f.size, lastModified: f.lastModified }),
        };
      },
    });
    expect((await run(flaky(true))).failures).toEqual([]);
    expect(stats).toBe(2);
    const persistent = await run(flaky(false));
    expect(persistent.failures.map((f) => f.code)).toEqual(['source-changed']);
  });

  test('cancel stops the run and commits nothing; pause holds it until resumed', async () => {
    const controller = new AbortController();
    const cancelled = run(sourceFromFiles('home', tree()), { onProgress: () => controller.abort(), signal: controller.signal });
    expect(await codeOf(cancelled)).toBe('cancelled');
    expect(await db.outbox.count()).toBe(0);

    const gate = new PauseGate();
    gate.pause();
    let finished = false;
    const paused = run(sourceFromFiles('home', tree()), { gate }).then((r) => ((finished = true), r));
    await vi.waitFor(() => expect(gate.holding).toBe(true));
    expect(finished).toBe(false);
    gate.resume();
    expect((await paused).files).toBe(4);
  });

  test('an interrupted run resumes from its checkpoint: finished files are not read again, one commit', async () => {
    const opened: string[] = [];
    const counting = (): FileSource => ({
      id: 'home',
      async *list(onFailure) {
        for await (const f of sourceFromFiles('home', tree()).list(onFailure)) yield { ...f, open: () => (opened.push(f.path), f.open()) };
      },
    });
    const controller = new AbortController();
    const first = run(counting(), { checkpointEveryMs: 0, signal: controller.signal, onProgress: (p) => p.filesDone === 2 && controller.abort() });
    expect(await codeOf(first)).toBe('cancelled');
    expect(opened).toHaveLength(3); // the third was being read when the run stopped
    expect(await db.outbox.count()).toBe(0);

    opened.length = 0;
    const second = await run(counting());
    expect(second).toMatchObject({ files: 4, resumed: 2, unchanged: 0, failures: [] });
    expect(opened).toHaveLength(2);
    const commits = await db.outbox.toArray();
    expect(commits).toHaveLength(1);
    const manifest = await openSnapshot(keys.manifest, commits[0]!.sealed, { id: commits[0]!.snapshotId });
    expect(manifest.entries).toHaveLength(4);
    for (const id of commits[0]!.refs) expect(await staging.get(id), id).toBeDefined();
    expect((await db.sources.get('home'))?.checkpoint).toBeUndefined();
  });

  test('a full disk stops the run with quota-exceeded, keeping what it finished; with room again it goes on', async () => {
    let room = 3; // envelopes that still fit
    const full: ChunkStaging = {
      put: async (id, parts) => {
        if (room-- <= 0) throw new KuraError('quota-exceeded', { local: true });
        await staging.put(id, parts);
      },
      get: (id) => staging.get(id),
      delete: (id) => staging.delete(id),
    };
    const files = [file('a.bin', pseudoRandomBytes(5_000, 31)), file('b.bin', pseudoRandomBytes(5_000, 32)), file('c.bin', pseudoRandomBytes(60_000, 33)), file('d.bin', pseudoRandomBytes(5_000, 34))];
    const stopped = run(sourceFromFiles('disk', files), { staging: full, checkpointEveryFiles: 1 });
    expect(await codeOf(stopped)).toBe('quota-exceeded');
    expect(await db.outbox.count()).toBe(0);

    room = Infinity;
    const resumed = await run(sourceFromFiles('disk', files), { staging: full });
    expect(resumed).toMatchObject({ files: 4, failures: [] });
    expect(resumed.resumed).toBeGreaterThanOrEqual(2);
    expect(await db.outbox.count()).toBe(1);
  });

  test('what a crashed run left behind is swept after the next run, and nothing a commit needs', async () => {
    const orphan = 'orphan-chunk-id' as ChunkId;
    await staging.put(orphan, [new Uint8Array(10)]);
    await db.staged.put({ id: orphan, size: 10, stagedAt: 0, uploaded: 0 });
    await staging.put('bytes-without-a-row' as ChunkId, [new Uint8Array(10)]);
    await run(sourceFromFiles('home', tree()));
    const [commit] = await db.outbox.toArray();
    expect(await db.staged.get(orphan)).toBeUndefined();
    expect(await staging.get(orphan)).toBeUndefined();
    expect(await staging.get('bytes-without-a-row' as ChunkId)).toBeUndefined();
    expect(staging.size).toBe(new Set(commit!.refs).size);
  });

  test('single picked files back up under their names; a same name gets a number; an unreadable one is reported', async () => {
    const picked = ['report.pdf', 'report.pdf', 'gone.txt', 'Thumbs.db'].map((name, i) => {
      const f = new MemoryFile(name);
      f.content = pseudoRandomBytes(1000 + i, 20 + i);
      f.unreadable = name === 'gone.txt';
      return f;
    });
    const result = await run(sourceFromFileHandles('picked', picked.map((f) => f.asHandle())), { sourceKind: 'files' });
    expect(result.failures.map((f) => [f.path, f.code])).toEqual([['gone.txt', 'source-unreadable']]);
    const commit = (await db.outbox.toArray())[0]!;
    const manifest = await openSnapshot(keys.manifest, commit.sealed, { id: commit.snapshotId });
    expect(manifest.entries.map((e) => [e.path, e.size])).toEqual([
      ['report (2).pdf', 1001],
      ['report.pdf', 1000],
    ]);
    expect((await db.sources.get('picked'))?.kind).toBe('files');
  });

  test('no file name or content rests on the device in the clear', async () => {
    await run(sourceFromFiles('home', tree()));
    const rows = JSON.stringify([await db.outbox.toArray(), await db.staged.toArray(), await db.sources.toArray(), await db.settings.toArray()], (_k, v) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
    );
    const blobs = await Promise.all((await db.staged.toArray()).map(async (s) => Buffer.from((await staging.get(s.id))!).toString('latin1')));
    for (const marker of ['MARKER-CONTENT-7f3a', 'MARKER-NAME-91bc', '旅行', 'notes.txt', 'the plan for tomorrow']) {
      expect(rows.includes(marker) || blobs.some((b) => b.includes(marker)), marker).toBe(false);
    }
    // Japanese names, as UTF-8 bytes, are not found either.
    const utf8Name = Buffer.from('旅行 京都', 'utf8').toString('latin1');
    expect(rows.includes(utf8Name) || blobs.some((b) => b.includes(utf8Name))).toBe(false);
  });

  test('backed up, synced by the engine, restored from the server byte for byte', async () => {
    const api = new ApiClient({ origin });
    api.token = (await api.createAccount({ ...registration(), device: { id: deviceId, name: 'L', model: '' } } as never)).token;
    const files = tree();
    const { snapshotId } = await run(sourceFromFiles('home', files));
    expect(await new SyncEngine({ db, staging, api }).run()).toEqual({ kind: 'in-sync' });
    const stored = await api.snapshot(snapshotId!);
    const manifest = await openSnapshot(keys.manifest, fromBase64Url(stored.sealed)!, { id: snapshotId! });
    for (const entry of manifest.entries) {
      const original = files.find((f) => f.webkitRelativePath === entry.path)!;
      const restored = Buffer.concat(await collect(openFile(entry, keys, (id) => api.getChunk(id))));
      expect(restored.equals(Buffer.from(await original.arrayBuffer())), entry.path).toBe(true);
    }
  });
});

describe('thumbnails', () => {
  test('images get a sealed thumbnail chunk of their own; a failing thumbnailer only loses the preview', async () => {
    const { openThumb } = await import('../../src/core/crypto/chunk.ts');
    const thumbnailer = async (f: SourceFile) => (f.path.endsWith('.jpg') ? new TextEncoder().encode(`thumb of ${f.path}`) : undefined);
    const result = await run(sourceFromFiles('home', tree()), { thumbnailer });
    const commit = (await db.outbox.toArray())[0]!;
    const manifest = await openSnapshot(keys.manifest, commit.sealed, { id: commit.snapshotId });
    const photo = manifest.entries.find((e) => e.path.endsWith('.jpg'))!;
    expect(photo.thumb).toBeDefined();
    expect(manifest.entries.filter((e) => e.thumb)).toHaveLength(1);
    expect(commit.refs).toContain(photo.thumb);
    expect(result.newChunks).toBe(await db.staged.count());
    const image = await openThumb(keys, photo.thumb!, (await staging.get(photo.thumb!))!);
    expect(new TextDecoder().decode(image)).toBe('thumb of 写真/2026/旅行 京都.jpg');

    const failing = await run(sourceFromFiles('other', tree()), { thumbnailer: async () => Promise.reject(new Error('decoder crashed')) });
    expect(failing.failures).toEqual([]);
    expect(failing.files).toBe(4);
  });
});
