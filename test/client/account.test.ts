/**
 * Account flows on the device against the real server: create, sign in elsewhere with the
 * passphrase or the recovery code, and refuse what a hostile or broken server could send.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toHex, utf8 } from '../../src/core/bytes.ts';
import { openChunk, sealChunk } from '../../src/core/crypto/chunk.ts';
import { KDF_TARGET, type Argon2 } from '../../src/core/crypto/kdf.ts';
import { newDeviceId } from '../../src/core/ids.ts';
import { ApiClient } from '../../src/client/api/client.ts';
import { createAccount, signIn, signInWithRecovery } from '../../src/client/account/flows.ts';
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

/** True when two unlocked accounts hold the same master key: one opens what the other sealed. */
async function sameKeys(a: { keys: Parameters<typeof sealChunk>[0] }, b: { keys: Parameters<typeof openChunk>[0] }) {
  const sealed = await sealChunk(a.keys, utf8('proof'));
  return toHex(await openChunk(b.keys, sealed.id, sealed.envelope)) === toHex(utf8('proof'));
}

describe('account flows', () => {
  test('create, then sign in on another device with the real Argon2id', async () => {
    const address = email();
    const created = await createAccount(new ApiClient({ origin }), { email: address, passphrase: 'うさぎ と かめ 2026', device: device('Laptop') });
    expect(created.kdf).toMatchObject({ m: KDF_TARGET.m, t: KDF_TARGET.t, p: 1 });
    expect(created.recoveryCode).toMatch(/^([0-9A-Z]{5}-){12}[0-9A-Z]{5}$/);
    const phone = await signIn(new ApiClient({ origin }), { email: address, passphrase: 'うさぎ と かめ 2026', device: device('Phone') });
    expect(phone.accountId).toBe(created.account.accountId);
    expect(await sameKeys(created.account, phone)).toBe(true);
  }, 30_000);

  test('the session each flow returns works, and the recovery code signs in too', async () => {
    const api = new ApiClient({ origin });
    const address = email();
    const { account, recoveryCode } = await createAccount(api, { email: address, passphrase: 'pw one', device: device('A'), argon2: fakeArgon2 });
    expect((await api.account()).accountId).toBe(account.accountId);
    const other = new ApiClient({ origin });
    const recovered = await signInWithRecovery(other, { email: address, recoveryCode: recoveryCode.toLowerCase().replace(/-/g, ' '), device: device('B') });
    expect(await sameKeys(account, recovered)).toBe(true);
    expect((await other.devices()).map((d) => d.name)).toEqual(['A', 'B']);
  });

  test('a wrong passphrase and an unknown email are both bad-credentials', async () => {
    const address = email();
    await createAccount(new ApiClient({ origin }), { email: address, passphrase: 'right', device: device('A'), argon2: fakeArgon2 });
    expect(await codeOf(signIn(new ApiClient({ origin }), { email: address, passphrase: 'wrong', device: device('B'), argon2: fakeArgon2 }))).toBe('bad-credentials');
    expect(await codeOf(signIn(new ApiClient({ origin }), { email: email(), passphrase: 'right', device: device('B'), argon2: fakeArgon2 }))).toBe('bad-credentials');
  });

  test('a mistyped recovery code is caught before anything is sent', async () => {
    const calls: string[] = [];
    const api = new ApiClient({ origin, fetch: async (input, init) => (calls.push(String(input)), fetch(input, init)) });
    const address = email();
    const { recoveryCode } = await createAccount(new ApiClient({ origin }), { email: address, passphrase: 'x', device: device('A'), argon2: fakeArgon2 });
    const typo = (recoveryCode[0] === 'A' ? 'B' : 'A') + recoveryCode.slice(1);
    expect(await codeOf(signInWithRecovery(api, { email: address, recoveryCode: typo, device: device('B') }))).toBe('recovery-key-typo');
    expect(calls).toEqual([]);
  });

  describe('a hostile server', () => {
    /** A client whose answers from the server are rewritten by `edit` for one route. */
    function tampered(route: string, edit: (body: Record<string, unknown>) => Record<string, unknown>) {
      let derivations = 0;
      const api = new ApiClient({
        origin,
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (!String(input).endsWith(route) || !response.ok) return response;
          return Response.json(edit((await response.json()) as Record<string, unknown>), { status: response.status });
        },
      });
      const counting: Argon2 = async (...args) => {
        derivations++;
        return fakeArgon2(...args);
      };
      return { api, counting, derivations: () => derivations };
    }

    test('offering KDF parameters below the floor is refused before any derivation', async () => {
      const address = email();
      await createAccount(new ApiClient({ origin }), { email: address, passphrase: 'pw', device: device('A'), argon2: fakeArgon2 });
      const { api, counting, derivations } = tampered('/sessions/params', (b) => ({ kdf: { ...(b.kdf as object), m: 8192, t: 1 } }));
      expect(await codeOf(signIn(api, { email: address, passphrase: 'pw', device: device('B'), argon2: counting }))).toBe('kdf-params-below-floor');
      expect(derivations()).toBe(0);
    });

    test('a swapped wrapped key, or one from another account, fails to unwrap', async () => {
      const [a, b] = [email(), email()];
      await createAccount(new ApiClient({ origin }), { email: a, passphrase: 'same', device: device('A'), argon2: fakeArgon2 });
      const victim = await createAccount(new ApiClient({ origin }), { email: b, passphrase: 'same', device: device('A'), argon2: fakeArgon2 });
      // The server hands account A's sign-in the victim's account id: the AAD no longer matches.
      const { api } = tampered('/sessions', (body) => ({ ...body, accountId: victim.account.accountId }));
      expect(await codeOf(signIn(api, { email: a, passphrase: 'same', device: device('B'), argon2: fakeArgon2 }))).toBe('unwrap-failed');
      const flipAt30 = (text: string) => text.slice(0, 30) + (text[30] === 'A' ? 'B' : 'A') + text.slice(31); // inside the ciphertext
      const flipped = tampered('/sessions', (body) => ({ ...body, wrappedMasterKey: flipAt30(body.wrappedMasterKey as string) }));
      expect(await codeOf(signIn(flipped.api, { email: a, passphrase: 'same', device: device('C'), argon2: fakeArgon2 }))).toBe('unwrap-failed');
    });
  });
});
