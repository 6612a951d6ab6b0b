/**
 * Every route of /api/v1 over real HTTP: its success, each of its error codes, 401 without a
 * session, and 400 (never 500) for malformed JSON and wrong types. Run on both backends.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newDeviceId, newSnapshotId } from '../../src/core/ids.ts';
import { KDF_FLOOR } from '../../src/core/crypto/kdf.ts';
import {
  accountFor,
  b64,
  BACKENDS,
  digestOf,
  randomChunkId,
  register,
  registration,
  request,
  snapshotBody,
  startServer,
  type Account,
  type Backend,
  type TestServer,
} from './harness.ts';

async function errorOf(res: Response): Promise<[number, string]> {
  const body = (await res.json()) as { error?: { code?: string } };
  return [res.status, body.error?.code ?? '(no error body)'];
}

describe.each<Backend>(BACKENDS)('API on the %s backend', (backend) => {
  let server: TestServer;
  let alice: Account;

  beforeAll(async () => {
    server = await startServer({ backend, config: { quotaBytes: 2_000_000, rateLimits: { signInPerIpPerMinute: 1000, signInPerEmailPerMinute: 5, registerPerIpPerHour: 1000 } } });
    alice = await register(server);
  });
  afterAll(() => server.close());

  test('GET /health', async () => {
    const res = await request(server, 'GET', '/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, version: 'test' });
  });

  describe('POST /accounts', () => {
    test('201 with a token that works', async () => {
      const account = await register(server);
      const res = await account.call('GET', '/account');
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ accountId: account.accountId, email: account.reg.email, status: 'active', usageBytes: 0 });
    });

    test('emails are case-insensitive and trimmed', async () => {
      const account = await register(server, { email: '  MiXeD@Example.COM ' });
      expect(((await (await account.call('GET', '/account')).json()) as { email: string }).email).toBe('mixed@example.com');
      expect(await errorOf(await request(server, 'POST', '/accounts', registration({ email: 'mixed@EXAMPLE.com' })))).toEqual([409, 'email-taken']);
    });

    test('409 account-exists for a taken account id', async () => {
      expect(await errorOf(await request(server, 'POST', '/accounts', registration({ accountId: alice.accountId })))).toEqual([409, 'account-exists']);
    });

    test.each([
      ['a bad email', { email: 'not-an-email' }],
      ['a short auth key', { authKey: b64(randomBytes(16)) }],
      ['a wrapped key of the wrong size', { wrappedMasterKey: b64(randomBytes(60)) }],
      ['KDF parameters below the floor', { kdf: { alg: 'argon2id', m: KDF_FLOOR.m / 2, t: 3, p: 1, salt: b64(randomBytes(16)) } }],
      ['a numeric device name', { device: { id: newDeviceId(), name: 5, model: '' } }],
      ['an unknown field', { admin: true }],
      ['a non-hex account id', { accountId: 'z'.repeat(32) }],
    ])('400 for %s', async (_name, change) => {
      expect(await errorOf(await request(server, 'POST', '/accounts', registration(change)))).toEqual([400, 'invalid-request']);
    });
  });

  describe('sessions', () => {
    test('params: the account’s own, and stable fake ones for an unknown email', async () => {
      const own = (await (await request(server, 'POST', '/sessions/params', { email: alice.reg.email })).json()) as { kdf: unknown };
      expect(own.kdf).toEqual(alice.reg.kdf);
      const fake1 = await (await request(server, 'POST', '/sessions/params', { email: 'ghost@example.com' })).json();
      const fake2 = await (await request(server, 'POST', '/sessions/params', { email: 'GHOST@example.com' })).json();
      expect(fake1).toEqual(fake2);
      expect(fake1).toMatchObject({ kdf: { alg: 'argon2id', m: expect.any(Number), t: expect.any(Number), p: 1, salt: expect.stringMatching(/^[\w-]{22}$/) } });
      const other = await (await request(server, 'POST', '/sessions/params', { email: 'phantom@example.com' })).json();
      expect(other).not.toEqual(fake1);
    });

    test('sign in with the auth key or the recovery key; the new session works', async () => {
      const device = { id: newDeviceId(), name: 'Phone', model: 'Pixel' };
      const res = await request(server, 'POST', '/sessions', { email: alice.reg.email, authKey: alice.reg.authKey, device });
      expect(res.status).toBe(201);
      const body = (await res.json()) as { token: string; accountId: string; wrappedMasterKey: string; wrappedRecoveryKey: string; kdf: unknown };
      expect(body).toMatchObject({ accountId: alice.accountId, wrappedMasterKey: alice.reg.wrappedMasterKey, wrappedRecoveryKey: alice.reg.wrappedRecoveryKey, kdf: alice.reg.kdf });
      const phone = accountFor(server, alice.reg, body.token, alice.accountId, device.id);
      const devices = (await (await phone.call('GET', '/devices')).json()) as { devices: { id: string; current: boolean }[] };
      expect(devices.devices.find((d) => d.id === device.id)?.current).toBe(true);
      const recovered = await request(server, 'POST', '/sessions', { email: alice.reg.email, recoveryAuthKey: alice.reg.recoveryAuthKey, device });
      expect(recovered.status).toBe(201);
    });

    test('401 bad-credentials alike for a wrong key and an unknown email', async () => {
      const device = { id: newDeviceId(), name: 'X', model: '' };
      const wrong = await request(server, 'POST', '/sessions', { email: alice.reg.email, authKey: b64(randomBytes(32)), device });
      const unknown = await request(server, 'POST', '/sessions', { email: 'nobody@example.com', authKey: b64(randomBytes(32)), device });
      const swapped = await request(server, 'POST', '/sessions', { email: alice.reg.email, authKey: alice.reg.recoveryAuthKey, device });
      const [a, b, c] = [await wrong.text(), await unknown.text(), await swapped.text()];
      expect([wrong.status, unknown.status, swapped.status]).toEqual([401, 401, 401]);
      expect(a).toBe(b);
      expect(c).toBe(a);
      expect(JSON.parse(a)).toEqual({ error: { code: 'bad-credentials', message: expect.any(String) } });
    });

    test('400 for both keys at once', async () => {
      const body = { email: alice.reg.email, authKey: alice.reg.authKey, recoveryAuthKey: alice.reg.recoveryAuthKey, device: alice.reg.device };
      expect(await errorOf(await request(server, 'POST', '/sessions', body))).toEqual([400, 'invalid-request']);
    });

    test('429 after too many sign-ins for one email, with Retry-After', async () => {
      const target = await register(server);
      const device = { id: newDeviceId(), name: 'X', model: '' };
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 7; i++) {
        const res = await request(server, 'POST', '/sessions', { email: target.reg.email, authKey: b64(randomBytes(32)), device });
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get('retry-after');
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      server.advance(60_000);
      const later = await request(server, 'POST', '/sessions', { email: target.reg.email, authKey: target.reg.authKey, device });
      expect(later.status).toBe(201);
    });

    test('DELETE /sessions/current ends that session only', async () => {
      const account = await register(server);
      const res = await request(server, 'POST', '/sessions', { email: account.reg.email, authKey: account.reg.authKey, device: account.reg.device });
      const second = accountFor(server, account.reg, ((await res.json()) as { token: string }).token, account.accountId, account.deviceId);
      expect((await account.call('DELETE', '/sessions/current')).status).toBe(204);
      expect(await errorOf(await account.call('GET', '/account'))).toEqual([401, 'unauthenticated']);
      expect((await second.call('GET', '/account')).status).toBe(200);
    });

    test('an expired session is refused', async () => {
      const account = await register(server);
      server.advance(server.deps.config.sessionTtlMs + 1);
      expect(await errorOf(await account.call('GET', '/account'))).toEqual([401, 'unauthenticated']);
      alice = await register(server); // the clock moved for every session
    });
  });

  describe('account and devices', () => {
    test('the email cannot be changed unconfirmed: PATCH /account is gone (POST /account/email confirms)', async () => {
      const account = await register(server);
      expect((await account.call('PATCH', '/account', { email: 'corrected@example.org' })).status).toBeGreaterThanOrEqual(400);
      expect(await (await account.call('GET', '/account')).json()).toMatchObject({ email: account.reg.email });
    });

    test('rename and revoke devices; revocation ends the device’s sessions at once', async () => {
      const account = await register(server);
      const phone = { id: newDeviceId(), name: 'Phone', model: '' };
      const signIn = await request(server, 'POST', '/sessions', { email: account.reg.email, authKey: account.reg.authKey, device: phone });
      const phoneSession = accountFor(server, account.reg, ((await signIn.json()) as { token: string }).token, account.accountId, phone.id);
      const renamed = await account.call('PATCH', `/devices/${phone.id}`, { name: '  Kitchen phone ' });
      expect(await renamed.json()).toMatchObject({ id: phone.id, name: 'Kitchen phone', current: false });
      expect(await errorOf(await account.call('PATCH', `/devices/${phone.id}`, { name: '' }))).toEqual([400, 'invalid-request']);
      // PostgreSQL text cannot hold U+0000: refused on every backend alike.
      expect(await errorOf(await account.call('PATCH', `/devices/${phone.id}`, { name: 'a\u0000b' }))).toEqual([400, 'invalid-request']);
      expect(await errorOf(await account.call('PATCH', `/devices/${newDeviceId()}`, { name: 'x' }))).toEqual([404, 'not-found']);
      expect((await phoneSession.call('GET', '/account')).status).toBe(200);
      expect((await account.call('DELETE', `/devices/${phone.id}`)).status).toBe(204);
      expect(await errorOf(await phoneSession.call('GET', '/account'))).toEqual([401, 'unauthenticated']);
      expect(await errorOf(await account.call('DELETE', `/devices/${phone.id}`))).toEqual([404, 'not-found']);
      const list = (await (await account.call('GET', '/devices')).json()) as { devices: { id: string }[] };
      expect(list.devices.map((d) => d.id)).toEqual([account.deviceId]);
    });
  });

  describe('chunks', () => {
    test('missing, upload, download, and idempotent re-upload', async () => {
      const [x, y] = [randomChunkId(), randomChunkId()];
      const body = randomBytes(5000);
      expect(await (await alice.call('POST', '/chunks/missing', { ids: [x, y] })).json()).toEqual({ missing: [x, y] });
      expect((await alice.putChunk(x, body)).status).toBe(201);
      expect((await alice.putChunk(x, body)).status).toBe(200);
      expect(await (await alice.call('POST', '/chunks/missing', { ids: [x, y] })).json()).toEqual({ missing: [y] });
      const got = await alice.call('GET', `/chunks/${x}`);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-digest')).toBe(digestOf(body));
      expect(Buffer.from(await got.arrayBuffer()).equals(body)).toBe(true);
    });

    test('idempotent: 3 PUTs in a row and 10 at once each leave one object, all 2xx', async () => {
      const sequential = randomChunkId();
      const body = randomBytes(50_000);
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await alice.putChunk(sequential, body)).status);
      expect(statuses).toEqual([201, 200, 200]);

      const concurrent = randomChunkId();
      const usageBefore = ((await (await alice.call('GET', '/account')).json()) as { usageBytes: number }).usageBytes;
      const all = await Promise.all(Array.from({ length: 10 }, () => alice.putChunk(concurrent, body)));
      expect(all.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
      const usageAfter = ((await (await alice.call('GET', '/account')).json()) as { usageBytes: number }).usageBytes;
      expect(usageAfter - usageBefore).toBe(body.length);
      const stored = await server.deps.objects.get(alice.accountId as never, concurrent);
      expect(Buffer.from(stored!).equals(body)).toBe(true);
      expect(await server.deps.objects.sweep()).toBe(0); // no temp file left behind
    });

    test('ranges: 206 with Content-Range, 416 beyond the end, whole object for a malformed range', async () => {
      const id = randomChunkId();
      const body = randomBytes(1000);
      await alice.putChunk(id, body);
      const cases: [string, number, string | null, Buffer | null][] = [
        ['bytes=10-19', 206, 'bytes 10-19/1000', body.subarray(10, 20)],
        ['bytes=990-', 206, 'bytes 990-999/1000', body.subarray(990)],
        ['bytes=-5', 206, 'bytes 995-999/1000', body.subarray(995)],
        ['bytes=900-5000', 206, 'bytes 900-999/1000', body.subarray(900)],
        ['bytes=1000-', 416, 'bytes */1000', null],
        ['bytes=20-10', 200, null, body],
        ['items=1-2', 200, null, body],
      ];
      for (const [range, status, contentRange, expected] of cases) {
        const res = await alice.call('GET', `/chunks/${id}`, undefined, { range });
        expect(res.status, range).toBe(status);
        expect(res.headers.get('content-range'), range).toBe(contentRange);
        if (expected) expect(Buffer.from(await res.arrayBuffer()).equals(expected), range).toBe(true);
        else expect(await errorOf(res)).toEqual([416, 'range-not-satisfiable']);
      }
    });

    test('400 digest-required and digest-mismatch store nothing', async () => {
      const id = randomChunkId();
      const body = randomBytes(100);
      expect(await errorOf(await alice.putChunk(id, body, { 'content-digest': '' }))).toEqual([400, 'digest-required']);
      expect(await errorOf(await alice.putChunk(id, body, { 'content-digest': 'md5=:AAAA:' }))).toEqual([400, 'digest-required']);
      expect(await errorOf(await alice.putChunk(id, body, { 'content-digest': digestOf(randomBytes(100)) }))).toEqual([400, 'digest-mismatch']);
      expect(await (await alice.call('POST', '/chunks/missing', { ids: [id] })).json()).toEqual({ missing: [id] });
      expect(await errorOf(await alice.call('GET', `/chunks/${id}`))).toEqual([404, 'not-found']);
    });

    test('413 too-large above the maximum envelope, 400 for an empty body', async () => {
      const big = new Uint8Array(server.deps.config.maxChunkBytes + 1);
      expect(await errorOf(await alice.putChunk(randomChunkId(), big))).toEqual([413, 'too-large']);
      expect(await errorOf(await alice.putChunk(randomChunkId(), new Uint8Array(0)))).toEqual([400, 'invalid-request']);
    });

    test('507 quota-exceeded when the account is full', async () => {
      const account = await register(server);
      expect((await account.putChunk(randomChunkId(), randomBytes(1_500_000))).status).toBe(201);
      expect(await errorOf(await account.putChunk(randomChunkId(), randomBytes(600_000)))).toEqual([507, 'quota-exceeded']);
      expect(((await (await account.call('GET', '/account')).json()) as { usageBytes: number }).usageBytes).toBe(1_500_000);
    });

    test('400 for more than 10,000 ids or malformed ids in a missing query', async () => {
      const many = Array.from({ length: 10_001 }, () => randomChunkId());
      expect(await errorOf(await alice.call('POST', '/chunks/missing', { ids: many }))).toEqual([400, 'invalid-request']);
      expect(await errorOf(await alice.call('POST', '/chunks/missing', { ids: ['ABC'] }))).toEqual([400, 'invalid-request']);
    });

    test('a stored object that no longer matches its digest is reported, never served, and listed as missing', async () => {
      const id = randomChunkId();
      await alice.putChunk(id, randomBytes(300));
      await server.deps.objects.put(alice.accountId as never, id, randomBytes(300)); // bit rot
      expect(await errorOf(await alice.call('GET', `/chunks/${id}`))).toEqual([500, 'object-corrupt']);
      expect(await (await alice.call('POST', '/chunks/missing', { ids: [id] })).json()).toEqual({ missing: [id] });
      const fresh = randomBytes(300);
      expect((await alice.putChunk(id, fresh)).status).toBe(201);
      expect(Buffer.from(await (await alice.call('GET', `/chunks/${id}`)).arrayBuffer()).equals(fresh)).toBe(true);
    });
  });

  describe('snapshots', () => {
    const commit = (account: Account, refs: string[], counter: number, extra: Record<string, unknown> = {}) =>
      account.call('POST', '/snapshots', snapshotBody(account.deviceId, counter, refs, extra));

    test('commit after the chunks, list, fetch, delete', async () => {
      const account = await register(server);
      const id = randomChunkId();
      await account.putChunk(id, randomBytes(1000));
      const snapshotId = newSnapshotId();
      const sealed = b64(randomBytes(64));
      const res = await commit(account, [id, id], 1, { id: snapshotId, sealed });
      expect(res.status).toBe(201);
      const summary = { id: snapshotId, kind: 'files', deviceId: account.deviceId, counter: 1, createdAt: expect.any(Number), bytes: 1064, chunkCount: 1 };
      expect(await res.json()).toEqual(summary);
      expect(await (await account.call('GET', '/snapshots')).json()).toEqual({ snapshots: [summary] });
      expect(await (await account.call('GET', '/snapshots?kind=records')).json()).toEqual({ snapshots: [] });
      expect(await (await account.call('GET', `/snapshots?deviceId=${account.deviceId}&kind=files`)).json()).toEqual({ snapshots: [summary] });
      expect(await (await account.call('GET', `/snapshots/${snapshotId}`)).json()).toEqual({ ...summary, sealed });
      expect(await errorOf(await account.call('GET', '/snapshots?kind=photos'))).toEqual([400, 'invalid-request']);
      expect((await account.call('DELETE', `/snapshots/${snapshotId}`)).status).toBe(204);
      expect(await errorOf(await account.call('GET', `/snapshots/${snapshotId}`))).toEqual([404, 'not-found']);
      expect(await errorOf(await account.call('DELETE', `/snapshots/${snapshotId}`))).toEqual([404, 'not-found']);
    });

    test('409 missing-chunks lists them; 409 snapshot-exists; 409 stale-counter; 400 device-mismatch', async () => {
      const account = await register(server);
      const [have, lack] = [randomChunkId(), randomChunkId()];
      await account.putChunk(have, randomBytes(10));
      const missing = await commit(account, [have, lack], 1);
      expect(missing.status).toBe(409);
      expect(await missing.json()).toEqual({ error: { code: 'missing-chunks', message: expect.any(String), missing: [lack] } });
      const snapshotId = newSnapshotId();
      expect((await commit(account, [have], 2, { id: snapshotId })).status).toBe(201);
      expect(await errorOf(await commit(account, [have], 3, { id: snapshotId }))).toEqual([409, 'snapshot-exists']);
      expect(await errorOf(await commit(account, [have], 2))).toEqual([409, 'stale-counter']);
      expect(await errorOf(await commit(account, [have], 9, { deviceId: newDeviceId() }))).toEqual([400, 'device-mismatch']);
      expect(await errorOf(await commit(account, [have], 0))).toEqual([400, 'invalid-request']);
      expect(await errorOf(await commit(account, [have], 4, { sealed: '' }))).toEqual([400, 'invalid-request']);
    });
  });

  describe('every protected route', () => {
    const someId = randomChunkId();
    const routes: [string, string][] = [
      ['DELETE', '/sessions/current'],
      ['GET', '/account'],
      ['GET', '/devices'],
      ['PATCH', `/devices/${newDeviceId()}`],
      ['DELETE', `/devices/${newDeviceId()}`],
      ['POST', '/chunks/missing'],
      ['PUT', `/chunks/${someId}`],
      ['GET', `/chunks/${someId}`],
      ['POST', '/snapshots'],
      ['GET', '/snapshots'],
      ['GET', `/snapshots/${newSnapshotId()}`],
      ['DELETE', `/snapshots/${newSnapshotId()}`],
    ];

    test.each(routes)('%s %s answers 401 without a valid session', async (method, path) => {
      for (const authorization of [undefined, 'Bearer nonsense', `Bearer ${'A'.repeat(43)}`, `Basic ${alice.token}`]) {
        const res = await request(server, method, path, method === 'GET' || method === 'DELETE' ? undefined : '{}', authorization ? { authorization } : {});
        expect(await errorOf(res), `${authorization}`).toEqual([401, 'unauthenticated']);
      }
    });

    const jsonRoutes: [string, string][] = [
      ['POST', '/accounts'],
      ['POST', '/sessions/params'],
      ['POST', '/sessions'],
      ['PATCH', `/devices/${newDeviceId()}`],
      ['POST', '/chunks/missing'],
      ['POST', '/snapshots'],
    ];
    test.each(jsonRoutes)('%s %s answers 400 to malformed JSON and wrong types', async (method, path) => {
      for (const body of ['{"unterminated', 'null', '[]', '"text"', '{"email": 7, "ids": "x", "name": []}']) {
        expect(await errorOf(await alice.call(method, path, body)), body).toEqual([400, 'invalid-request']);
      }
    });

    test('JSON bodies over the limit answer 413', async () => {
      const huge = JSON.stringify({ email: 'a'.repeat(server.deps.config.maxJsonBytes) });
      expect(await errorOf(await alice.call('POST', '/account/email', huge))).toEqual([413, 'too-large']);
    });

    test('unknown API paths answer 404 JSON', async () => {
      expect(await errorOf(await alice.call('GET', '/nope'))).toEqual([404, 'not-found']);
      expect(await errorOf(await alice.call('POST', '/health'))).toEqual([404, 'not-found']);
    });
  });

  describe('headers and access log', () => {
    test('every response carries the security headers; API responses are not cached', async () => {
      for (const res of [await request(server, 'GET', '/health'), await request(server, 'GET', '/account'), await alice.call('GET', '/nope')]) {
        expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self' 'wasm-unsafe-eval'.*frame-ancestors 'none'/);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
    });

    test('one access-log row per request with time, IP, device, route and status; no secrets', async () => {
      const account = await register(server);
      const id = randomChunkId();
      await account.putChunk(id, randomBytes(10));
      await account.call('GET', `/chunks/${id}?token=${account.token}`);
      const rows = await server.deps.meta.listAccessLog(account.accountId as never, 10);
      expect(rows.map((r) => [r.route, r.status])).toEqual([
        ['GET /chunks/:id', 200],
        ['PUT /chunks/:id', 201],
        ['POST /accounts', 201],
      ]);
      expect(rows.every((r) => r.ip === '127.0.0.1' && r.deviceId === account.deviceId && typeof r.time === 'number')).toBe(true);
      const text = JSON.stringify(rows);
      for (const secret of [account.token, account.reg.authKey, id]) expect(text).not.toContain(secret);
    });
  });
});

describe('registration rate limits', () => {
  test('per IP, then per email, each answered 429', async () => {
    const server = await startServer({ config: { rateLimits: { signInPerIpPerMinute: 100, signInPerEmailPerMinute: 100, registerPerIpPerHour: 8 } } });
    try {
      const probe = registration();
      const perEmail: number[] = [];
      for (let i = 0; i < 6; i++) perEmail.push((await request(server, 'POST', '/accounts', { ...probe, accountId: registration().accountId })).status);
      expect(perEmail).toEqual([201, 409, 409, 409, 409, 429]);
      const perIp: number[] = [];
      for (let i = 0; i < 3; i++) perIp.push((await request(server, 'POST', '/accounts', registration())).status);
      expect(perIp).toEqual([201, 201, 429]);
    } finally {
      await server.close();
    }
  });
});
