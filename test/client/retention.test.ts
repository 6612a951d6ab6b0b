import { afterAll, beforeAll, expect, test } from 'vitest';
import { ApiClient } from '../../src/client/api/client.ts';
import { applyRetention } from '../../src/client/sync/retention.ts';
import { localStorageState, requestPersistence } from '../../src/client/storage.ts';
import { register, snapshotBody, startServer, type TestServer } from '../server/harness.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

test('retention deletes what the rule forgets, per device and source, on the server', async () => {
  const account = await register(server);
  const api = new ApiClient({ origin: server.origin, token: account.token });
  const committed: string[] = [];
  const source = new Map<string, string>();
  for (let day = 1; day <= 5; day++) {
    server.advance(24 * 3_600_000);
    const body = snapshotBody(account.deviceId, day, []);
    expect((await account.call('POST', '/snapshots', body)).status).toBe(201);
    committed.push(body.id);
    source.set(body.id, 'Photos');
  }
  // A second folder of the same device, backed up once, long ago: its only snapshot must stay.
  const documents = snapshotBody(account.deviceId, 6, []);
  expect((await account.call('POST', '/snapshots', documents)).status).toBe(201);
  source.set(documents.id, 'Documents');
  const sourceOf = async (s: { id: string }) => source.get(s.id)!;

  const forgotten = await applyRetention(api, { last: 2 }, sourceOf, 0);
  expect(forgotten.sort()).toEqual(committed.slice(0, 3).sort());
  expect((await api.snapshots()).map((s) => s.id).sort()).toEqual([...committed.slice(3), documents.id].sort());
  expect(await applyRetention(api, {}, sourceOf, 0)).toEqual([]);
});

test('storage persistence and the meter read the StorageManager, and cope without one', async () => {
  const asked: string[] = [];
  const fake = {
    persisted: async () => (asked.push('persisted'), false),
    persist: async () => (asked.push('persist'), true),
    estimate: async () => ({ usage: 1234, quota: 99999 }),
  } as unknown as StorageManager;
  expect(await requestPersistence(fake)).toBe(true);
  expect(asked).toEqual(['persisted', 'persist']);
  expect(await localStorageState(fake)).toEqual({ persisted: false, usageBytes: 1234, quotaBytes: 99999 });
  expect(await requestPersistence(undefined)).toBe(false);
  expect(await localStorageState(undefined)).toEqual({ persisted: false, usageBytes: undefined, quotaBytes: undefined });
});
