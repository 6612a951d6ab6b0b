/**
 * Undoing an account deletion on the device against the real server: a pending account refuses
 * every sign-in, the recovery key and a new passphrase bring it back with the same master key.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toBase64Url, toHex, utf8 } from '../../src/core/bytes.ts';
import { openChunk, sealChunk } from '../../src/core/crypto/chunk.ts';
import { derivePassphraseKeys } from '../../src/core/crypto/kdf.ts';
import { newDeviceId } from '../../src/core/ids.ts';
import { ApiClient } from '../../src/client/api/client.ts';
import { deviceIdentity, keepAccount, unlockWithPassphrase } from '../../src/client/account/device.ts';
import { createAccount, pendingDeletion, signIn, signInWith, signInWithRecovery, undoDeletion } from '../../src/client/account/flows.ts';
import { KuraDb } from '../../src/client/db/database.ts';
import { startServer, type TestServer } from '../server/harness.ts';
import { codeOf, fakeArgon2 } from '../core/helpers.ts';

let server: TestServer;
let origin: string;
beforeAll(async () => {
  server = await startServer();
  origin = server.origin;
});
afterAll(() => server.close());

const device = (name: string) => ({ id: newDeviceId(), name, model: 'Chromebook' });
const email = () => `user-${Math.random().toString(36).slice(2)}@example.com`;

/** An account asked to be deleted, as the privacy center does it (re-authenticated with the authKey). */
async function deletedAccount(passphrase = 'old passphrase') {
  const address = email();
  const api = new ApiClient({ origin });
  const created = await createAccount(api, { email: address, passphrase, device: device('Laptop'), argon2: fakeArgon2 });
  const sealed = await sealChunk(created.account.keys, utf8('sealed before the deletion'));
  const { authKey } = await derivePassphraseKeys(passphrase, created.kdf, fakeArgon2);
  const deleted = await api.deleteAccount(toBase64Url(authKey));
  return { address, created, sealed, deleted };
}

describe('undoing a deletion', () => {
  test('a pending account refuses sign-in; the recovery key and a new passphrase bring it back', async () => {
    const { address, created, sealed, deleted } = await deletedAccount();
    expect(deleted.status).toBe('deleted-pending');
    // Refused like a wrong key, with the passphrase or the recovery code alike.
    expect(await codeOf(signIn(new ApiClient({ origin }), { email: address, passphrase: 'old passphrase', device: device('B'), argon2: fakeArgon2 }))).toBe('bad-credentials');
    expect(await codeOf(signInWithRecovery(new ApiClient({ origin }), { email: address, recoveryCode: created.recoveryCode, device: device('B') }))).toBe('bad-credentials');
    // The same recovery code tells the pending deletion and its date.
    expect(await pendingDeletion(new ApiClient({ origin }), { email: address, recoveryCode: created.recoveryCode })).toEqual({ deletionDueAt: deleted.deletionDueAt });

    const api = new ApiClient({ origin });
    const back = await undoDeletion(api, { email: address, recoveryCode: created.recoveryCode, newPassphrase: 'new passphrase', device: device('Phone'), argon2: fakeArgon2 });
    expect(back.accountId).toBe(created.account.accountId);
    expect(back.email).toBe(address);
    const status = await api.account();
    expect(status.status).toBe('active');
    expect(status.deletionDueAt).toBeUndefined();
    // The same master key: an envelope sealed before the deletion opens.
    expect(toHex(await openChunk(back.keys, sealed.id, sealed.envelope))).toBe(toHex(utf8('sealed before the deletion')));
    // The kept wrap is the new one: it is what unlocking offline will use.
    expect(back.passphraseWrap.wrappedMasterKey).not.toBe(created.account.passphraseWrap.wrappedMasterKey);

    const again = await signIn(new ApiClient({ origin }), { email: address, passphrase: 'new passphrase', device: device('Tablet'), argon2: fakeArgon2 });
    expect(again.accountId).toBe(created.account.accountId);
    expect(await codeOf(signIn(new ApiClient({ origin }), { email: address, passphrase: 'old passphrase', device: device('C'), argon2: fakeArgon2 }))).toBe('bad-credentials');
    // No longer pending: the undo's first call refuses, so the probe says "not pending".
    expect(await pendingDeletion(new ApiClient({ origin }), { email: address, recoveryCode: created.recoveryCode })).toBeUndefined();
  });

  test('another account’s recovery key is bad-credentials, and a typo is caught before anything is sent', async () => {
    const { address, created } = await deletedAccount();
    const other = await createAccount(new ApiClient({ origin }), { email: email(), passphrase: 'x', device: device('A'), argon2: fakeArgon2 });
    const input = { email: address, newPassphrase: 'new passphrase', device: device('B'), argon2: fakeArgon2 };
    expect(await codeOf(undoDeletion(new ApiClient({ origin }), { ...input, recoveryCode: other.recoveryCode }))).toBe('bad-credentials');
    expect(await pendingDeletion(new ApiClient({ origin }), { email: address, recoveryCode: other.recoveryCode })).toBeUndefined();

    const calls: string[] = [];
    const counting = new ApiClient({ origin, fetch: async (url, init) => (calls.push(String(url)), fetch(url, init)) });
    const typo = (created.recoveryCode[0] === 'A' ? 'B' : 'A') + created.recoveryCode.slice(1);
    expect(await codeOf(undoDeletion(counting, { ...input, recoveryCode: typo }))).toBe('recovery-key-typo');
    expect(calls).toEqual([]);
    // Still pending and still undoable with the right key.
    expect((await undoDeletion(new ApiClient({ origin }), { ...input, recoveryCode: created.recoveryCode })).accountId).toBe(created.account.accountId);
  });

  test('as the engine signs in (a code with a new passphrase), kept on the device and unlocked offline with the new passphrase', async () => {
    const { address, created, sealed } = await deletedAccount();
    const db = new KuraDb(`kura-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
    const here = await deviceIdentity(db, () => ({ name: 'Phone', model: 'Android · Chrome' }));
    const input = { email: address, recoveryCode: created.recoveryCode, newPassphrase: 'new passphrase', device: here, argon2: fakeArgon2 };
    const back = await signInWith(new ApiClient({ origin }), input);
    await keepAccount(db, back, false);
    const unlocked = await unlockWithPassphrase(db, 'new passphrase', fakeArgon2);
    expect(toHex(await openChunk(unlocked.keys, sealed.id, sealed.envelope))).toBe(toHex(utf8('sealed before the deletion')));
    expect(await codeOf(unlockWithPassphrase(db, 'old passphrase', fakeArgon2))).toBe('unwrap-failed');
    db.close();
  });

  test('an active account cannot be "undone"', async () => {
    const address = email();
    const { recoveryCode } = await createAccount(new ApiClient({ origin }), { email: address, passphrase: 'pw', device: device('A'), argon2: fakeArgon2 });
    const input = { email: address, recoveryCode, newPassphrase: 'taken over', device: device('B'), argon2: fakeArgon2 };
    expect(await codeOf(undoDeletion(new ApiClient({ origin }), input))).toBe('bad-credentials');
    expect((await signIn(new ApiClient({ origin }), { email: address, passphrase: 'pw', device: device('C'), argon2: fakeArgon2 })).email).toBe(address);
  });
});
