/**
 * The user's rights over HTTP: disclosure (the export), correction (email change confirmed by a
 * code from the outbox), suspension (sync writes and GC stop, other sessions end, data stays) and
 * resumption, and the access log with filters, paging and CSV.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newDeviceId } from '../../../src/core/ids.ts';
import { collectGarbage } from '../../../server/gc.ts';
import { accountFor, b64, BACKENDS, randomChunkId, register, request, snapshotBody, startServer, type Account, type Backend, type TestServer } from '../harness.ts';
import { consent, errorOf, operator, privacyConfig } from './helpers.ts';

async function signIn(server: TestServer, account: Account, name = 'Phone'): Promise<Account> {
  const device = { id: newDeviceId(), name, model: 'Pixel' };
  const res = await request(server, 'POST', '/sessions', { email: account.reg.email, authKey: account.reg.authKey, device });
  expect(res.status).toBe(201);
  const { token } = (await res.json()) as { token: string };
  return accountFor(server, account.reg, token, account.accountId, device.id);
}

async function codeFromOutbox(server: TestServer, to: string): Promise<string> {
  const { messages } = (await (await operator(server, 'GET', '/operator/outbox')).json()) as { messages: { to: string; body: string }[] };
  const message = messages.find((m) => m.to === to);
  return /\b(\d{8})\b/.exec(message?.body ?? '')?.[1] ?? 'no code';
}

describe.each<Backend>(BACKENDS)('rights on the %s backend', (backend) => {
  let server: TestServer;
  let alice: Account;

  beforeAll(async () => {
    server = await startServer({ backend, config: privacyConfig() });
    alice = await register(server);
  });
  afterAll(() => server.close());

  test('export: one JSON document with every section, metadata but never content', async () => {
    const chunk = randomChunkId();
    expect((await alice.putChunk(chunk, randomBytes(500))).status).toBe(201);
    const commit = await alice.call('POST', '/snapshots', snapshotBody(alice.deviceId, 1, [chunk], { sealed: b64(randomBytes(50)) }));
    expect(commit.status).toBe(201);
    expect((await consent(alice, 'service-operation')).status).toBe(201);
    expect((await alice.call('POST', '/inquiries', { category: 'backup', message: 'Where is my photo?' })).status).toBe(201);
    const res = await alice.call('GET', '/account/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="kura-export-\d{4}-\d{2}-\d{2}\.json"/);
    const archive = (await res.json()) as Record<string, unknown> & { account: Record<string, unknown>; chunks: unknown[]; snapshots: unknown[]; accessLog: unknown[] };
    expect(Object.keys(archive).sort()).toEqual(
      ['format', 'exportedAt', 'operator', 'account', 'devices', 'snapshots', 'chunks', 'accessLog', 'consents', 'inquiries', 'externalServices'].sort(),
    );
    expect(archive.format).toBe('kura-account-export-v1');
    expect(archive.account).toMatchObject({ id: alice.accountId, email: alice.reg.email, status: 'active', usageBytes: 550 });
    expect(archive.chunks).toEqual([{ id: chunk, size: 500, createdAt: expect.any(Number) }]);
    expect(archive.snapshots).toEqual([expect.objectContaining({ chunkCount: 1, bytes: 550 })]);
    expect(JSON.stringify(archive.snapshots)).not.toContain('sealed');
    expect(archive.accessLog.length).toBeGreaterThan(0);
    expect(archive).toMatchObject({ devices: [{ id: alice.deviceId }], consents: { entries: [{ purpose: 'service-operation' }] }, inquiries: [{ category: 'backup' }] });
    expect((await request(server, 'GET', '/account/export')).status).toBe(401);
  });

  test('email change: a code to the new address confirms it; a wrong or expired code does not', async () => {
    const account = await register(server);
    const other = await register(server);
    expect(await errorOf(await account.call('POST', '/account/email', { email: other.reg.email }))).toEqual([409, 'email-taken']);
    const res = await account.call('POST', '/account/email', { email: 'New.Address@Example.com' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ pendingEmail: 'new.address@example.com', expiresAt: server.deps.now() + 3_600_000 });
    const code = await codeFromOutbox(server, 'new.address@example.com');
    expect(code).toMatch(/^\d{8}$/);
    const wrong = code === '00000000' ? '11111111' : '00000000';
    expect(await errorOf(await account.call('POST', '/account/email/confirm', { code: wrong }))).toEqual([400, 'confirmation-invalid']);
    // The account view shows the change waiting (and who the operator is), the email unchanged.
    const view = async () => (await (await account.call('GET', '/account')).json()) as { email: string; pendingEmail?: string; operator: { name: string } };
    expect(await view()).toMatchObject({ email: account.reg.email, pendingEmail: 'new.address@example.com', operator: { name: 'Kura Test KK' } });
    const confirmed = await account.call('POST', '/account/email/confirm', { code });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toMatchObject({ email: 'new.address@example.com' });
    expect(await errorOf(await account.call('POST', '/account/email/confirm', { code }))).toEqual([400, 'confirmation-invalid']);
    expect((await view()).pendingEmail).toBeUndefined();

    expect((await account.call('POST', '/account/email', { email: 'later@example.com' })).status).toBe(202);
    const late = await codeFromOutbox(server, 'later@example.com');
    expect((await view()).pendingEmail).toBe('later@example.com');
    server.advance(3_600_001);
    expect(await errorOf(await account.call('POST', '/account/email/confirm', { code: late }))).toEqual([400, 'confirmation-invalid']);
    // Expired: no longer shown as waiting.
    expect((await view()).pendingEmail).toBeUndefined();
  });

  test('suspension: sync writes refused with account-suspended, other sessions end, data stays; resume restores', async () => {
    const bob = await register(server);
    const phone = await signIn(server, bob);
    const chunk = randomChunkId();
    const bytes = randomBytes(300);
    expect((await bob.putChunk(chunk, bytes)).status).toBe(201);
    const suspended = await bob.call('POST', '/account/suspend');
    expect(suspended.status).toBe(200);
    expect(await suspended.json()).toMatchObject({ status: 'suspended', usageBytes: 300 });
    expect((await phone.call('GET', '/account')).status).toBe(401);
    expect(await errorOf(await bob.putChunk(randomChunkId(), randomBytes(10)))).toEqual([423, 'account-suspended']);
    expect(await errorOf(await bob.call('POST', '/snapshots', snapshotBody(bob.deviceId, 1, [chunk])))).toEqual([423, 'account-suspended']);
    const back = await bob.call('GET', `/chunks/${chunk}`);
    expect(Buffer.from(await back.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await bob.call('GET', '/account/export')).status).toBe(200);

    // No server processing either: garbage collection leaves the suspended account's chunks.
    await collectGarbage(server.deps, { now: server.deps.now() + 10 * 86_400_000, graceMs: 0, dryRun: false });
    expect((await bob.call('GET', `/chunks/${chunk}`)).status).toBe(200);

    const resumed = await bob.call('POST', '/account/resume');
    expect(await resumed.json()).toMatchObject({ status: 'active' });
    expect((await bob.putChunk(randomChunkId(), randomBytes(10))).status).toBe(201);
    expect((await bob.call('POST', '/snapshots', snapshotBody(bob.deviceId, 1, [chunk]))).status).toBe(201);
    expect((await request(server, 'POST', '/account/suspend')).status).toBe(401);
  });

  test('access log: own rows only, filtered by time, device and route class, paged, and as CSV', async () => {
    const carol = await register(server);
    const phone = await signIn(server, carol);
    const start = server.deps.now();
    await carol.call('GET', '/account');
    server.advance(1000);
    await phone.call('GET', '/devices');
    await phone.call('GET', '/account');
    server.advance(1000);
    await carol.call('GET', '/snapshots');
    const get = async (query: string) => (await (await carol.call('GET', `/account/access-log${query}`)).json()) as { entries: { route: string; deviceId: string; time: number; ip: string }[]; total: number; nextOffset: number | null };

    const all = await get('');
    expect(all.entries.every((e) => e.ip === '127.0.0.1')).toBe(true);
    expect(all.entries.map((e) => e.route).slice(0, 4)).toEqual(['GET /snapshots', 'GET /account', 'GET /devices', 'GET /account']);
    // The phone's own sign-in is logged under its device id too.
    expect((await get(`?deviceId=${phone.deviceId}`)).entries.map((e) => e.route)).toEqual(['GET /account', 'GET /devices', 'POST /sessions']);
    expect((await get('?action=account')).entries.map((e) => e.route).filter((r) => r === 'GET /account')).toHaveLength(2);
    expect((await get(`?from=${start + 500}&to=${start + 1500}`)).entries.map((e) => e.route)).toEqual(['GET /account', 'GET /devices']);
    // Paged over the phone's rows (reading the log adds rows of the reader's own).
    const page = await get(`?deviceId=${phone.deviceId}&limit=2`);
    expect([page.entries.length, page.total, page.nextOffset]).toEqual([2, 3, 2]);
    const rest = await get(`?deviceId=${phone.deviceId}&limit=2&offset=2`);
    expect([rest.entries.length, rest.nextOffset]).toEqual([1, null]);
    expect(await errorOf(await carol.call('GET', '/account/access-log?limit=5000'))).toEqual([400, 'invalid-request']);

    const csv = await carol.call('GET', `/account/access-log?format=csv&deviceId=${phone.deviceId}`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('time,ip,deviceId,route,status');
    expect(lines.slice(1).map((l) => l.split(',').slice(2))).toEqual([
      [phone.deviceId, 'GET /account', '200'],
      [phone.deviceId, 'GET /devices', '200'],
      [phone.deviceId, 'POST /sessions', '201'],
    ]);
  });
});
