/**
 * The account kept on the device: identity made once, offline unlock with the passphrase,
 * "remember this device" under a non-extractable device key, and forgetting on sign-out.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { toHex, utf8 } from '../../src/core/bytes.ts';
import { openChunk, sealChunk } from '../../src/core/crypto/chunk.ts';
import { ApiClient } from '../../src/client/api/client.ts';
import {
  describeThisDevice,
  deviceIdentity,
  forgetAccount,
  keepAccount,
  setRemembered,
  storedAccount,
  unlockRemembered,
  unlockWithPassphrase,
} from '../../src/client/account/device.ts';
import { createAccount, type UnlockedAccount } from '../../src/client/account/flows.ts';
import { KuraDb } from '../../src/client/db/database.ts';
import { codeOf, fakeArgon2 } from '../core/helpers.ts';
import { startServer, type TestServer } from '../server/harness.ts';

let server: TestServer;
let db: KuraDb;
let account: UnlockedAccount;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  db = new KuraDb(`kura-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  const device = await deviceIdentity(db, () => ({ name: 'Chromebook', model: 'CrOS · Chrome' }));
  const api = new ApiClient({ origin: server.origin });
  ({ account } = await createAccount(api, { email: `d${Math.random()}@example.com`, passphrase: 'kept secret', device, argon2: fakeArgon2 }));
});

async function sameKeys(a: UnlockedAccount, b: UnlockedAccount): Promise<boolean> {
  const sealed = await sealChunk(a.keys, utf8('x'));
  return toHex(await openChunk(b.keys, sealed.id, sealed.envelope)) === toHex(utf8('x'));
}

describe('the account on this device', () => {
  test('the device identity is made once and kept', async () => {
    const again = await deviceIdentity(db, () => ({ name: 'other', model: 'other' }));
    expect(again).toEqual({ id: account.deviceId, name: 'Chromebook', model: 'CrOS · Chrome' });
    expect(describeThisDevice({ userAgent: 'Mozilla/5.0 (X11; CrOS x86_64 15000.0.0) Chrome/156', userAgentData: { platform: 'Chrome OS' } }).name).toBe('Chromebook');
    expect(describeThisDevice({ userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64) Chrome/156 Edg/156', userAgentData: { platform: 'Windows' } })).toEqual({ name: 'Windows PC', model: 'Windows · Edge' });
  });

  test('the passphrase unlocks offline; a wrong one does not', async () => {
    await keepAccount(db, account, false);
    const unlocked = await unlockWithPassphrase(db, 'kept secret', fakeArgon2);
    expect(await sameKeys(account, unlocked)).toBe(true);
    expect(unlocked.token).toBe(account.token);
    expect(await codeOf(unlockWithPassphrase(db, 'not it', fakeArgon2))).toBe('unwrap-failed');
    expect(await unlockRemembered(db)).toBeUndefined();
  });

  test('remembered: reopens without a passphrase; the master key never rests in the clear', async () => {
    await keepAccount(db, account, true);
    const stored = await storedAccount(db);
    expect(stored?.remembered?.deviceKey.extractable).toBe(false);
    const text = JSON.stringify(stored, (_k, v) => (v instanceof Uint8Array ? toHex(v) : v));
    expect(text).not.toContain(toHex(account.masterKey));
    const reopened = await unlockRemembered(db);
    expect(await sameKeys(account, reopened!)).toBe(true);

    await setRemembered(db, undefined);
    expect(await unlockRemembered(db)).toBeUndefined();
    await setRemembered(db, account);
    expect(await sameKeys(account, (await unlockRemembered(db))!)).toBe(true);
  });

  test('signing out here forgets the account and every wrapped key', async () => {
    await keepAccount(db, account, true);
    await forgetAccount(db);
    expect(await storedAccount(db)).toBeUndefined();
    expect(await unlockRemembered(db)).toBeUndefined();
    expect(await codeOf(unlockWithPassphrase(db, 'kept secret', fakeArgon2))).toBe('unauthenticated');
  });

  test("another account signing in here drops the last account's offline copies; the same account keeps them", async () => {
    await keepAccount(db, account, false);
    await db.settings.put({ key: 'records-head:contacts', value: { snapshotId: 's', sealed: new Uint8Array([1]) } });
    await db.recordBatches.put({ id: 'c'.repeat(64) as never, envelope: new Uint8Array([2]) });
    await keepAccount(db, account, false);
    expect(await db.settings.get('records-head:contacts')).toBeDefined();
    const other = (await createAccount(new ApiClient({ origin: server.origin }), { email: `o${Math.random()}@example.com`, passphrase: 'p', device: await deviceIdentity(db), argon2: fakeArgon2 })).account;
    await keepAccount(db, other, false);
    expect(await db.settings.get('records-head:contacts')).toBeUndefined();
    expect(await db.recordBatches.count()).toBe(0);
  });
});
