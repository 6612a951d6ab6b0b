/**
 * The outbox and sync engine against the real server (in-process), with fake-indexeddb under
 * Dexie: a clean run, offline, server failures, lost acknowledgements, a crash between uploads and
 * the commit, and the stops that need the user. Nothing staged is lost, nothing acknowledged is
 * uploaded twice, staged chunks are freed only after their commit is acknowledged.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { fromBase64Url } from '../../src/core/bytes.ts';
import { newSnapshotId, type DeviceId } from '../../src/core/ids.ts';
import { openSnapshot, sealSnapshot } from '../../src/core/manifest/seal.ts';
import type { FileEntry, Snapshot } from '../../src/core/manifest/snapshot.ts';
import { referencedChunks } from '../../src/core/manifest/snapshot.ts';
import { sealFile } from '../../src/core/pipeline/backup.ts';
import { openFile } from '../../src/core/pipeline/restore.ts';
import { ApiClient } from '../../src/client/api/client.ts';
import { KuraDb } from '../../src/client/db/database.ts';
import { MemoryStaging } from '../../src/client/staging/ports.ts';
import { SyncEngine, type SyncState } from '../../src/client/sync/engine.ts';
import { enqueueCommit, type NewChunk } from '../../src/client/sync/outbox.ts';
import { collect, newAccountKeys, pseudoRandomBytes } from '../core/helpers.ts';
import { registration, startServer, type TestServer } from '../server/harness.ts';

const keys = await newAccountKeys();
const SMALL = { minSize: 4096, avgSize: 16384, maxSize: 65536 };
let server: TestServer;
let origin: string;

beforeAll(async () => {
  server = await startServer({ config: { quotaBytes: 3_000_000 } });
  origin = server.origin;
});
afterAll(() => server.close());

/** Records every request; `fail` may throw or answer instead of the server for a request. */
function network() {
  const log: string[] = [];
  let fail: ((method: string, path: string, n: number) => 'drop-before' | 'drop-after' | Response | undefined) | undefined;
  let n = 0;
  const impl: typeof fetch = async (input, init = {}) => {
    const method = init.method ?? 'GET';
    const path = String(input).replace(/^.*\/api\/v1/, '');
    const decision = fail?.(method, path, n++);
    if (decision === 'drop-before') throw new TypeError('fetch failed');
    if (decision instanceof Response) return decision;
    const response = await fetch(input, init);
    log.push(`${method} ${path} ${response.status}`);
    if (decision === 'drop-after') throw new TypeError('connection reset');
    return response;
  };
  return { impl, log, setFail: (f: typeof fail) => (fail = f) };
}

interface Device {
  db: KuraDb;
  staging: MemoryStaging;
  api: ApiClient;
  net: ReturnType<typeof network>;
  deviceId: DeviceId;
  counter: number;
  states: SyncState[];
  engine(): SyncEngine;
}

async function newDevice(): Promise<Device> {
  const net = network();
  const api = new ApiClient({ origin, fetch: net.impl, retry: { retries: 1, sleep: async () => undefined } });
  const reg = registration();
  api.token = (await new ApiClient({ origin }).createAccount(reg as never)).token;
  const db = new KuraDb(`kura-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  const device: Device = {
    db,
    staging: new MemoryStaging(),
    api,
    net,
    deviceId: reg.device.id as DeviceId,
    counter: 0,
    states: [],
    engine: () => new SyncEngine({ db, staging: device.staging, api, onState: (s) => device.states.push(s) }),
  };
  return device;
}

/** A backup run of `files`, sealed and put into the outbox; returns the manifest. */
async function backUp(device: Device, files: Record<string, Uint8Array>): Promise<Snapshot> {
  const entries: FileEntry[] = [];
  const chunks: NewChunk[] = [];
  for (const [path, data] of Object.entries(files)) {
    for await (const item of sealFile([data], keys, { path, lastModified: 0, type: '' }, { chunking: SMALL })) {
      if (item.kind === 'chunk' && item.envelope) chunks.push({ id: item.id, parts: item.envelope });
      if (item.kind === 'file') entries.push(item.entry);
    }
  }
  const snapshot: Snapshot = {
    format: 'kura-snapshot',
    v: 1,
    id: newSnapshotId(),
    kind: 'files',
    deviceId: device.deviceId,
    counter: ++device.counter,
    createdAt: Date.now(),
    source: 'Documents',
    entries,
  };
  const sealed = await sealSnapshot(keys.manifest, snapshot);
  const commit = { snapshotId: snapshot.id, kind: 'files' as const, deviceId: device.deviceId, counter: snapshot.counter, refs: referencedChunks(snapshot), sealed, createdAt: device.counter };
  await enqueueCommit(device.db, device.staging, commit, chunks, Date.now());
  return snapshot;
}

/** Restores every file of a snapshot from the server alone; returns path → bytes. */
async function restoreFromServer(device: Device, snapshot: Snapshot): Promise<Record<string, Uint8Array>> {
  const stored = await device.api.snapshot(snapshot.id);
  const manifest = await openSnapshot(keys.manifest, fromBase64Url(stored.sealed)!, { id: snapshot.id });
  const out: Record<string, Uint8Array> = {};
  for (const entry of manifest.entries) {
    const parts = await collect(openFile(entry, keys, (id) => device.api.getChunk(id)));
    out[entry.path] = Buffer.concat(parts);
  }
  return out;
}

const puts = (device: Device) => device.net.log.filter((l) => l.startsWith('PUT /chunks/') && !l.endsWith(' 200'));
const putIds = (device: Device) => device.net.log.filter((l) => l.startsWith('PUT /chunks/')).map((l) => l.split(' ')[1]!.slice(8));

describe('sync engine', () => {
  let device: Device;
  beforeEach(async () => {
    device = await newDevice();
  });

  test('empties the outbox: chunks once, then the commits, then frees staging', async () => {
    const shared = pseudoRandomBytes(200_000, 1);
    const first = await backUp(device, { 'a.bin': shared, 'b.txt': pseudoRandomBytes(30_000, 2) });
    const second = await backUp(device, { 'a-copy.bin': shared, 'c.bin': pseudoRandomBytes(50_000, 3) });
    expect(await device.db.outbox.count()).toBe(2);
    const staged = await device.db.staged.count();
    const stagedBytes = (await device.db.staged.toArray()).reduce((n, s) => n + s.size, 0);

    expect(await device.engine().run()).toEqual({ kind: 'in-sync' });
    expect(await device.db.outbox.count()).toBe(0);
    expect(await device.db.staged.count()).toBe(0);
    expect(device.staging.size).toBe(0);
    expect(puts(device)).toHaveLength(staged); // the shared file's chunks went up once
    expect(new Set(putIds(device)).size).toBe(staged);
    // One progress over the whole outbox: its totals are both commits' chunks, counted once.
    const uploading = device.states.filter((s) => s.kind === 'uploading');
    expect(uploading[0]).toMatchObject({ chunksDone: 0, chunksTotal: staged, commitsLeft: 2 });
    expect(uploading.at(-1)).toMatchObject({ chunksDone: staged, chunksTotal: staged, bytesTotal: stagedBytes, etaSeconds: 0 });
    expect(uploading.every((s) => s.bytesTotal === stagedBytes)).toBe(true);

    const restored = await restoreFromServer(device, second);
    expect(Buffer.compare(restored['a-copy.bin']!, shared)).toBe(0);
    expect((await device.api.snapshots()).map((s) => s.id)).toEqual([first.id, second.id]);
    // Each committed snapshot is listed on the device with its sealed manifest, for offline browsing.
    const cached = await device.db.snapshots.toArray();
    expect(cached.map((s) => s.id).sort()).toEqual([first.id, second.id].sort());
    expect(cached.every((s) => s.sealed && s.sealed.length > 0 && s.chunkCount > 0)).toBe(true);
  });

  test('chunks the server already holds are not sent and leave the totals', async () => {
    const snapshot = await backUp(device, { 'a.bin': pseudoRandomBytes(120_000, 8) });
    const staged = await device.db.staged.toArray();
    const [first, ...rest] = staged;
    await device.api.putChunk(first!.id, (await device.staging.get(first!.id))!); // sent by a run whose record was lost
    device.net.log.length = 0;
    expect(await device.engine().run()).toEqual({ kind: 'in-sync' });
    expect(putIds(device).sort()).toEqual(rest.map((s) => s.id).sort());
    expect(device.states.find((s) => s.kind === 'uploading')).toMatchObject({ chunksTotal: rest.length, bytesTotal: rest.reduce((n, s) => n + s.size, 0) });
    expect(Object.keys(await restoreFromServer(device, snapshot))).toEqual(['a.bin']);
  });

  test('chunks of a run still in progress go up ahead of its commit, which then sends none again', async () => {
    const snapshot = await backUp(device, { 'a.bin': pseudoRandomBytes(150_000, 9), 'b.bin': pseudoRandomBytes(20_000, 10) });
    const commit = (await device.db.outbox.toArray())[0]!;
    await device.db.outbox.clear(); // as while the run is still reading: staged, not yet committed
    const staged = await device.db.staged.count();
    expect(await device.engine().run()).toEqual({ kind: 'in-sync' });
    expect(putIds(device)).toHaveLength(staged);
    expect(await device.db.staged.where('uploaded').equals(0).count()).toBe(0);
    expect(device.staging.size).toBe(staged); // kept until a commit that names them is acknowledged

    device.net.log.length = 0;
    await device.db.outbox.add(commit);
    expect(await device.engine().run()).toEqual({ kind: 'in-sync' });
    expect(putIds(device)).toEqual([]);
    expect(device.staging.size).toBe(0);
    expect(Object.keys(await restoreFromServer(device, snapshot)).sort()).toEqual(['a.bin', 'b.bin']);
  });

  test('chunks staged without a digest (by an earlier version) are read and hashed when sent', async () => {
    const snapshot = await backUp(device, { 'old.bin': pseudoRandomBytes(90_000, 11) });
    const rows = await device.db.staged.toArray();
    expect(rows.every((r) => typeof r.sha256 === 'string')).toBe(true);
    await device.db.staged.bulkPut(rows.map(({ sha256: _digest, ...row }) => row));
    expect(await device.engine().run()).toEqual({ kind: 'in-sync' });
    expect(putIds(device)).toHaveLength(rows.length);
    expect(Object.keys(await restoreFromServer(device, snapshot))).toEqual(['old.bin']);
  });

  test('offline: stops as offline, loses nothing, and syncs when the network is back', async () => {
    const snapshot = await backUp(device, { 'x.bin': pseudoRandomBytes(100_000, 4) });
    device.net.setFail(() => 'drop-before');
    expect(await device.engine().run()).toEqual({ kind: 'offline' });
    expect(await device.db.outbox.count()).toBe(1);
    device.net.setFail(undefined);
    expect(await device.engine().run()).toEqual({ kind: 'in-sync' });
    expect(Object.keys(await restoreFromServer(device, snapshot))).toEqual(['x.bin']);
  });

  test('server failures: waits, then finishes without sending an acknowledged chunk twice', async () => {
    const snapshot = await backUp(device, { 'y.bin': pseudoRandomBytes(300_000, 5) });
    let putsSeen = 0;
    device.net.setFail((method, path) => {
      if (method === 'PUT' && path.startsWith('/chunks/') && ++putsSeen > 5) {
        return new Response('{"error":{"code":"internal","message":"x"}}', { status: 500 });
      }
      return undefined;
    });
    expect(await device.engine().run()).toEqual({ kind: 'waiting', code: 'internal' });
    const acknowledged = device.net.log.filter((l) => l.startsWith('PUT') && l.endsWith(' 201')).map((l) => l.split(' ')[1]);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(await device.db.staged.where('uploaded').equals(1).count()).toBe(acknowledged.length);

    device.net.setFail(undefined);
    expect(await device.engine().run()).toEqual({ kind: 'in-sync' });
    const all = device.net.log.filter((l) => l.startsWith('PUT')).map((l) => l.split(' ')[1]);
    for (const path of acknowledged) expect(all.filter((p) => p === path)).toHaveLength(1);
    expect(Buffer.compare((await restoreFromServer(device, snapshot))['y.bin']!, pseudoRandomBytes(300_000, 5))).toBe(0);
  });

  test('a lost commit acknowledgement and a reload: the next run sees it committed, once', async () => {
    const snapshot = await backUp(device, { 'z.bin': pseudoRandomBytes(80_000, 6) });
    device.net.setFail((method, path) => (method === 'POST' && path === '/snapshots' ? 'drop-after' : undefined));
    // Retries are made by a fresh client here, as after a reload: the first answer is lost each time.
    expect((await device.engine().run()).kind).toBe('offline');
    expect(await device.db.outbox.count()).toBe(1);
    device.net.setFail(undefined);
    const reloaded = new SyncEngine({ db: device.db, staging: device.staging, api: device.api });
    expect(await reloaded.run()).toEqual({ kind: 'in-sync' });
    expect((await device.api.snapshots()).map((s) => s.id)).toEqual([snapshot.id]);
    expect(device.staging.size).toBe(0);
  });

  test('a chunk collected between the missing query and the commit is uploaded again', async () => {
    await backUp(device, { 'g.bin': pseudoRandomBytes(40_000, 7) });
    let dropped = false;
    device.net.setFail((method, path) => {
      // Pretend the server lost the first chunk after acknowledging it: answer its first commit 409.
      if (method === 'POST' && path === '/snapshots' && !dropped) {
        dropped = true;
        return Response.json({ error: { code: 'missing-chunks', message: 'x', missing: [] } }, { status: 409 });
      }
      return undefined;
    });
    expect(await device.engine().run()).toEqual({ kind: 'in-sync' });
    expect(device.net.log.filter((l) => l.startsWith('POST /chunks/missing'))).toHaveLength(2);
  });

  test('a full quota and a revoked session stop with an error, keeping everything staged', async () => {
    await backUp(device, { 'big.bin': pseudoRandomBytes(3_500_000, 8) });
    expect(await device.engine().run()).toEqual({ kind: 'error', code: 'quota-exceeded' });
    expect(await device.db.outbox.count()).toBe(1);
    expect(device.staging.size).toBe(await device.db.staged.count());

    const other = await newDevice();
    await backUp(other, { 'small.bin': pseudoRandomBytes(10_000, 9) });
    await other.api.revokeDevice(other.deviceId);
    expect(await other.engine().run()).toEqual({ kind: 'error', code: 'unauthenticated' });
    expect(await other.db.outbox.count()).toBe(1);
  });

  test('two engines over one database (two tabs) take turns through a Web Lock: nothing is sent twice', async () => {
    await backUp(device, { 'q.bin': pseudoRandomBytes(120_000, 11), 'r.bin': pseudoRandomBytes(90_000, 12) });
    const staged = await device.db.staged.count();
    // A LockManager as browsers have one: requests for a name run one after the other.
    const tails = new Map<string, Promise<unknown>>();
    const request = (name: string, work: () => Promise<unknown>) => {
      const run = (tails.get(name) ?? Promise.resolve()).then(work, work);
      tails.set(name, run.catch(() => undefined));
      return run;
    };
    vi.stubGlobal('navigator', { locks: { request } });
    try {
      const [a, b] = await Promise.all([device.engine().run(), device.engine().run()]);
      expect([a, b]).toEqual([{ kind: 'in-sync' }, { kind: 'in-sync' }]);
    } finally {
      vi.unstubAllGlobals();
    }
    // Every PUT, those the server answered "already there" (200) included.
    expect(device.net.log.filter((l) => l.startsWith('PUT /chunks/'))).toHaveLength(staged);
  });

  test('two runs at once share one run', async () => {
    await backUp(device, { 'p.bin': pseudoRandomBytes(20_000, 10) });
    const engine = device.engine();
    const [a, b] = await Promise.all([engine.run(), engine.run()]);
    expect([a, b]).toEqual([{ kind: 'in-sync' }, { kind: 'in-sync' }]);
    expect(device.net.log.filter((l) => l.startsWith('POST /snapshots'))).toHaveLength(1);
  });
});
