/** Browsing from the server alone: all snapshots with rollback checks, a folder tree, a verified stream. */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { newDeviceId, type DeviceId } from '../../src/core/ids.ts';
import { ApiClient } from '../../src/client/api/client.ts';
import { runBackup } from '../../src/client/backup/run.ts';
import { sourceFromFiles } from '../../src/client/backup/source.ts';
import { allSnapshots, cachedSnapshots, fileStream, folderTree, manifestOf } from '../../src/client/browse.ts';
import { KuraDb } from '../../src/client/db/database.ts';
import { MemoryStaging } from '../../src/client/staging/ports.ts';
import { SyncEngine } from '../../src/client/sync/engine.ts';
import { codeOf, newAccountKeys, pseudoRandomBytes } from '../core/helpers.ts';
import { pickedFile as file } from './files.ts';
import { registration, startServer, type TestServer } from '../server/harness.ts';

const keys = await newAccountKeys();
let server: TestServer;
let token: string;
const deviceId = newDeviceId() as DeviceId;
const big = pseudoRandomBytes(300_000, 4);


beforeAll(async () => {
  server = await startServer();
  token = (await new ApiClient({ origin: server.origin }).createAccount({ ...registration(), device: { id: deviceId, name: 'L', model: '' } } as never)).token;
  const db = new KuraDb(`kura-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  const staging = new MemoryStaging();
  const api = new ApiClient({ origin: server.origin, token });
  const chunking = { minSize: 4096, avgSize: 16384, maxSize: 65536 };
  await runBackup({ db, staging, keys, deviceId, source: sourceFromFiles('s', [file('a/b/c.bin', big), file('a/d.txt', 'one')]), sourceName: 'S', chunking });
  server.advance(1000);
  await runBackup({ db, staging, keys, deviceId, source: sourceFromFiles('s', [file('a/b/c.bin', big), file('a/d.txt', 'two', 2), file('e.txt', 'new')]), sourceName: 'S', chunking });
  expect(await new SyncEngine({ db, staging, api }).run()).toEqual({ kind: 'in-sync' });
});
afterAll(() => server.close());

const browsingDb = () => new KuraDb(`browse-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });

test('all snapshots newest first; the newest opens as a folder tree; a file streams verified', async () => {
  const api = new ApiClient({ origin: server.origin, token });
  const list = await allSnapshots(api, browsingDb(), keys);
  expect(list.map((s) => s.counter)).toEqual([2, 1]);
  const snapshot = await manifestOf(api, keys, list[0]!.id);
  const tree = folderTree(snapshot);
  expect([...tree.folders.keys()]).toEqual(['a']);
  expect(tree.files.map((f) => f.path)).toEqual(['e.txt']);
  const a = tree.folders.get('a')!;
  expect(a.files.map((f) => f.path)).toEqual(['a/d.txt']);
  const entry = a.folders.get('b')!.files[0]!;
  const bytes = new Uint8Array(await new Response(fileStream(api, keys, entry)).arrayBuffer());
  expect(Buffer.compare(bytes, big)).toBe(0);
});

test('a server that later hides the newest snapshot of a device is caught (rollback)', async () => {
  const db = browsingDb();
  await allSnapshots(new ApiClient({ origin: server.origin, token }), db, keys);
  const hiding = new ApiClient({
    origin: server.origin,
    token,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).endsWith('/snapshots')) return response;
      const body = (await response.json()) as { snapshots: { counter: number }[] };
      return Response.json({ snapshots: body.snapshots.filter((s) => s.counter === 1) });
    },
  });
  expect(await codeOf(allSnapshots(hiding, db, keys))).toBe('manifest-rollback');
});

test('a listing that disagrees with the sealed manifest is refused', async () => {
  const lying = new ApiClient({
    origin: server.origin,
    token,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (!/\/snapshots\/[0-9a-f]{32}$/.test(String(input))) return response;
      return Response.json({ ...((await response.json()) as object), counter: 99 });
    },
  });
  const [newest] = await new ApiClient({ origin: server.origin, token }).snapshots();
  expect(await codeOf(manifestOf(lying, keys, newest!.id))).toBe('manifest-invalid');
});

test('offline, the cached list and the manifests opened before still browse; nothing else is invented', async () => {
  const db = browsingDb();
  const online = new ApiClient({ origin: server.origin, token });
  const list = await allSnapshots(online, db, keys);
  const newest = await manifestOf(online, keys, list[0]!.id, undefined, db);

  const offline = new ApiClient({ origin: server.origin, token, retry: { retries: 0 }, fetch: async () => Promise.reject(new TypeError('Failed to fetch')) });
  expect(await codeOf(allSnapshots(offline, db, keys))).toBe('network-unavailable');
  expect((await cachedSnapshots(db)).map((s) => s.id)).toEqual(list.map((s) => s.id));
  expect(await manifestOf(offline, keys, list[0]!.id, undefined, db)).toEqual(newest);
  // The older snapshot's manifest was never fetched here: offline it cannot be shown.
  expect(await codeOf(manifestOf(offline, keys, list[1]!.id, undefined, db))).toBe('network-unavailable');

  // A cached manifest is checked like a fresh one: altered at rest, it is refused.
  const row = (await db.snapshots.get(list[0]!.id))!;
  const altered = row.sealed!.slice();
  altered[altered.length - 1]! ^= 1;
  await db.snapshots.put({ ...row, sealed: altered });
  expect(await codeOf(manifestOf(offline, keys, list[0]!.id, undefined, db))).toBe('envelope-auth-failed');
});
