/**
 * External connections at first run, in Node against the real server: the connections a server
 * offers are read before any account exists, with no session and nothing identifying sent; the
 * one the user switched on is recorded as its own `external:<id>` grant with the other first-run
 * entries, and the server then lists it as consented (so it may connect), the other not.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { newDeviceId } from '../../src/core/ids.ts';
import { createAccount, offeredExternalServices } from '../../src/client/account/flows.ts';
import { ApiClient } from '../../src/client/api/client.ts';
import { KuraDb } from '../../src/client/db/database.ts';
import { PrivacyService } from '../../src/client/privacy/service.ts';
import { startServer, type TestServer } from '../server/harness.ts';
import { privacyConfig } from '../server/privacy/helpers.ts';
import { fakeArgon2 } from '../core/helpers.ts';

const SERVICES = [
  { id: 'print-partner', name: 'Print Partner', description: 'Photo prints', dataShared: 'Photos you choose to print' },
  { id: 'mail-link', name: 'Mail Link', description: '', dataShared: 'Your email address' },
];

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ config: privacyConfig({ KURA_EXTERNAL_SERVICES: JSON.stringify(SERVICES) }) });
});
afterAll(() => server.close());

test('offered before any account, without a session; the one switched on is granted in the ledger and on the server', async () => {
  const requests: { url: string; authorization: string | null; body: unknown }[] = [];
  const anonymous = new ApiClient({
    origin: server.origin,
    fetch: async (input, init) => {
      requests.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization'), body: init?.body });
      return fetch(input, init);
    },
  });
  expect(await offeredExternalServices(anonymous)).toEqual([
    { id: 'print-partner', name: 'Print Partner', description: 'Photo prints', stores: 'Photos you choose to print' },
    { id: 'mail-link', name: 'Mail Link', description: '', stores: 'Your email address' },
  ]);
  expect(requests).toEqual([{ url: `${server.origin}/api/v1/policy?lang=en`, authorization: null, body: null }]);

  const email = `external-${Math.random().toString(36).slice(2)}@example.com`;
  const { account } = await createAccount(new ApiClient({ origin: server.origin }), { email, passphrase: 'pw', device: { id: newDeviceId(), name: 'Laptop', model: '' }, argon2: fakeArgon2 });
  const api = new ApiClient({ origin: server.origin, token: account.token });
  const db = new KuraDb(`external-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  const privacy = new PrivacyService(() => ({ db, api, deviceId: account.deviceId, keys: account.keys }), { argon2: fakeArgon2, app: { version: '1.4.2', browser: 'chrome' } });

  await privacy.recordFirstRun({ 'usage-statistics': false, support: false, 'external:print-partner': true, 'external:mail-link': false });
  const ledger = await privacy.consents();
  expect(ledger.entries.map((e) => [e.purpose, e.granted])).toEqual([
    ['service-operation', true],
    ['security-logging', true],
    ['external:print-partner', true],
  ]);
  expect(ledger.verified).toBe(true);
  expect((await privacy.externalServices()).map((s) => [s.id, s.connected])).toEqual([
    ['print-partner', false],
    ['mail-link', false],
  ]);
  expect((await api.externalServices()).map((s) => [s.id, s.consent])).toEqual([
    ['print-partner', 'granted'],
    ['mail-link', 'none'],
  ]);
  // Granted, so a connector may connect it; the other is still refused.
  const connect = (id: string) => fetch(`${server.origin}/api/v1/external-services/${id}/connect`, { method: 'POST', headers: { authorization: `Bearer ${account.token}` } });
  expect((await connect('print-partner')).status).toBe(201);
  expect((await connect('mail-link')).status).toBe(403);
  db.close();
});
