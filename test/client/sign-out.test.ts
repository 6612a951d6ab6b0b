/**
 * Signing out with the user's choice: keep unsent backups for the same account (and refuse to let
 * another account take them), or erase everything Kura keeps on the device but its identity.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { ApiClient } from '../../src/client/api/client.ts';
import { deviceIdentity, keepAccount, storedAccount } from '../../src/client/account/device.ts';
import { createAccount, signIn, type UnlockedAccount } from '../../src/client/account/flows.ts';
import { signOut, unsentBackups } from '../../src/client/account/sign-out.ts';
import { runBackup } from '../../src/client/backup/run.ts';
import { sourceFromFiles } from '../../src/client/backup/source.ts';
import { KuraDb } from '../../src/client/db/database.ts';
import { MemoryStaging } from '../../src/client/staging/ports.ts';
import { SyncEngine } from '../../src/client/sync/engine.ts';
import { codeOf, fakeArgon2, pseudoRandomBytes } from '../core/helpers.ts';
import { pickedFile } from './files.ts';
import { startServer, type TestServer } from '../server/harness.ts';

let server: TestServer;
let db: KuraDb;
let staging: MemoryStaging;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => {
  db = new KuraDb(`kura-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  staging = new MemoryStaging();
});

async function signedIn(): Promise<{ account: UnlockedAccount; api: ApiClient }> {
  const device = await deviceIdentity(db, () => ({ name: 'Chromebook', model: 'CrOS' }));
  const api = new ApiClient({ origin: server.origin });
  const { account } = await createAccount(api, { email: `s${Math.random()}@example.com`, passphrase: 'pass phrase', device, argon2: fakeArgon2 });
  await keepAccount(db, account, true);
  api.token = account.token;
  return { account, api };
}

async function backUpSomething(account: UnlockedAccount): Promise<void> {
  const files = [pickedFile('a/one.bin', pseudoRandomBytes(50_000, 1)), pickedFile('two.txt', 'two')];
  await runBackup({ db, staging, keys: account.keys, deviceId: account.deviceId, source: sourceFromFiles('s', files), sourceName: 'S' });
}

test('keep: the session is revoked and the keys forgotten; unsent backups wait and go up for the same account', async () => {
  const { account, api } = await signedIn();
  await backUpSomething(account);
  const before = await unsentBackups(db);
  expect(before.commits).toBe(1);
  expect(before.bytes).toBeGreaterThan(50_000);

  const token = account.token;
  expect(await signOut(db, staging, { erase: false, api })).toEqual({ unsentCommits: 1, sessionRevoked: true });
  expect(await storedAccount(db)).toBeUndefined();
  expect(await codeOf(new ApiClient({ origin: server.origin, token }).account())).toBe('unauthenticated');
  expect(await unsentBackups(db)).toEqual(before);

  // Another account may not take them…
  const other = await createAccount(new ApiClient({ origin: server.origin }), {
    email: `o${Math.random()}@example.com`,
    passphrase: 'other',
    device: await deviceIdentity(db),
    argon2: fakeArgon2,
  });
  expect(await codeOf(keepAccount(db, other.account, false))).toBe('held-for-another-account');

  // …the same one, signed in again, sends them.
  const api2 = new ApiClient({ origin: server.origin });
  const again = await signIn(api2, { email: account.email, passphrase: 'pass phrase', device: await deviceIdentity(db), argon2: fakeArgon2 });
  await keepAccount(db, again, false);
  expect(await new SyncEngine({ db, staging, api: api2 }).run()).toEqual({ kind: 'in-sync' });
  expect(await api2.snapshots()).toHaveLength(1);
  expect(await unsentBackups(db)).toEqual({ commits: 0, bytes: 0 });
});

test('erase: outbox, staged bytes, sources and the cached list go; the device identity stays', async () => {
  const { account, api } = await signedIn();
  const identity = await deviceIdentity(db);
  await backUpSomething(account);
  await db.snapshots.put({ id: 'x'.repeat(32) as never, kind: 'files', deviceId: account.deviceId, counter: 1, createdAt: 1, bytes: 1, chunkCount: 1 });
  await staging.put('left-behind' as never, [new Uint8Array(3)]);
  let picksForgotten = false;
  const result = await signOut(db, staging, { erase: true, api, forgetPicks: async () => void (picksForgotten = true) });
  expect(result).toEqual({ unsentCommits: 1, sessionRevoked: true });
  expect([await db.outbox.count(), await db.staged.count(), await db.sources.count(), await db.snapshots.count(), staging.size]).toEqual([0, 0, 0, 0, 0]);
  expect(picksForgotten).toBe(true);
  expect(await deviceIdentity(db)).toEqual(identity);
  expect(await storedAccount(db)).toBeUndefined();
  expect(await unsentBackups(db)).toEqual({ commits: 0, bytes: 0 });
});

test('offline: signing out still forgets everything on the device', async () => {
  const { account } = await signedIn();
  const offline = new ApiClient({ origin: server.origin, token: account.token, retry: { retries: 0 }, fetch: async () => Promise.reject(new TypeError('offline')) });
  expect(await signOut(db, staging, { erase: false, api: offline })).toEqual({ unsentCommits: 0, sessionRevoked: false });
  expect(offline.token).toBeUndefined();
  expect(await storedAccount(db)).toBeUndefined();
});
