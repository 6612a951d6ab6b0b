/**
 * Usage statistics: refused without the usage-statistics consent, schema-checked (no room for an
 * identifier), once a day per account, stored only as day totals; the operator's summary behind
 * its token.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS, register, request, startServer, type Account, type Backend, type TestServer } from '../harness.ts';
import { consent, errorOf, operator, privacyConfig } from './helpers.ts';

const report = (overrides: Record<string, unknown> = {}) => ({
  appVersion: '0.1.0',
  browserFamily: 'firefox',
  backupsRun: 3,
  filesBySize: { under1MiB: 40, to10MiB: 5, to100MiB: 1, to1GiB: 0, over1GiB: 0 },
  errors: { 'network-unavailable': 2 },
  ...overrides,
});

describe.each<Backend>(BACKENDS)('usage statistics on the %s backend', (backend) => {
  let server: TestServer;
  let alice: Account;
  let bob: Account;

  beforeAll(async () => {
    server = await startServer({ backend, config: privacyConfig() });
    alice = await register(server);
    bob = await register(server);
  });
  afterAll(() => server.close());

  test('refused without a session (401) and without the consent (403 consent-required)', async () => {
    expect((await request(server, 'POST', '/stats', report())).status).toBe(401);
    expect(await errorOf(await alice.call('POST', '/stats', report()))).toEqual([403, 'consent-required']);
    expect((await consent(alice, 'usage-statistics')).status).toBe(201);
    expect((await consent(alice, 'usage-statistics', 'withdrawn')).status).toBe(201);
    expect(await errorOf(await alice.call('POST', '/stats', report()))).toEqual([403, 'consent-required']);
  });

  test.each([
    ['an identifier field', { accountId: 'abc' }],
    ['a free-text app version', { appVersion: 'build for alice@example.com' }],
    ['an unknown browser', { browserFamily: 'my-own-browser' }],
    ['a file name as an error code', { errors: { 'IMG_0001.JPG': 1 } }],
    ['an unknown size class', { filesBySize: { under1MiB: 1, to10MiB: 0, to100MiB: 0, to1GiB: 0, over1GiB: 0, huge: 1 } }],
    ['a negative count', { backupsRun: -1 }],
  ])('400 for %s', async (_name, change) => {
    const carol = await register(server);
    expect((await consent(carol, 'usage-statistics')).status).toBe(201);
    expect(await errorOf(await carol.call('POST', '/stats', report(change)))).toEqual([400, 'invalid-request']);
  });

  test('with the consent: one report a day, added to the day’s totals; the next day again', async () => {
    expect((await consent(alice, 'usage-statistics')).status).toBe(201);
    expect((await consent(bob, 'usage-statistics')).status).toBe(201);
    expect((await alice.call('POST', '/stats', report())).status).toBe(204);
    expect(await errorOf(await alice.call('POST', '/stats', report()))).toEqual([409, 'stats-already-sent']);
    expect((await bob.call('POST', '/stats', report({ browserFamily: 'chrome', backupsRun: 1, errors: {} }))).status).toBe(204);
    const today = new Date(server.deps.now()).toISOString().slice(0, 10);
    const res = await operator(server, 'GET', `/operator/stats?from=${today}&to=${today}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      days: [
        {
          day: today,
          counters: {
            reports: 2,
            backupsRun: 4,
            'app:0.1.0': 2,
            'browser:firefox': 1,
            'browser:chrome': 1,
            'files:under1MiB': 80,
            'files:to10MiB': 10,
            'files:to100MiB': 2,
            'error:network-unavailable': 2,
          },
        },
      ],
    });
    server.advance(86_400_000);
    expect((await alice.call('POST', '/stats', report())).status).toBe(204);
  });

  test('operator stats: refused without the token or with a wrong one', async () => {
    expect(await errorOf(await operator(server, 'GET', '/operator/stats', undefined, ''))).toEqual([401, 'operator-unauthorized']);
    expect(await errorOf(await operator(server, 'GET', '/operator/stats', undefined, 'wrong-token-wrong-token'))).toEqual([401, 'operator-unauthorized']);
    expect(await errorOf(await alice.call('GET', '/operator/stats'))).toEqual([401, 'operator-unauthorized']);
    expect(await errorOf(await operator(server, 'GET', '/operator/stats?from=yesterday'))).toEqual([400, 'invalid-request']);
  });
});

test('without KURA_OPERATOR_TOKEN the operator endpoints do not exist', async () => {
  const server = await startServer();
  try {
    for (const path of ['/operator/stats', '/operator/inquiries', '/operator/outbox']) {
      expect(await errorOf(await operator(server, 'GET', path))).toEqual([404, 'not-found']);
    }
  } finally {
    await server.close();
  }
});
