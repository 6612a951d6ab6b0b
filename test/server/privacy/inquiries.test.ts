/**
 * Inquiries (with attachments, limits, the operator's replies and statuses) and external services
 * (none by default; each connection needs its own consent; disconnecting removes its data).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS, b64, register, request, startServer, type Account, type Backend, type TestServer } from '../harness.ts';
import { consent, errorOf, operator, privacyConfig } from './helpers.ts';

const SERVICES = JSON.stringify([{ id: 'print-partner', name: 'Print Partner', description: 'Photo prints', dataShared: 'Photos you choose to print' }]);

describe.each<Backend>(BACKENDS)('inquiries and external services on the %s backend', (backend) => {
  let server: TestServer;
  let alice: Account;

  beforeAll(async () => {
    const config = privacyConfig({ KURA_INQUIRY_MAX_ATTACHMENTS: '2', KURA_INQUIRY_MAX_ATTACHMENT_BYTES: '1000', KURA_EXTERNAL_SERVICES: SERVICES });
    server = await startServer({ backend, config });
    alice = await register(server);
  });
  afterAll(() => server.close());

  test('a user sends an inquiry with attachments and reads it back; limits are enforced', async () => {
    const file = randomBytes(1000);
    const res = await alice.call('POST', '/inquiries', { category: 'restore', message: 'A file did not restore.', attachments: [{ name: 'log.txt', type: 'text/plain', data: b64(file) }] });
    expect(res.status).toBe(201);
    const inquiry = (await res.json()) as { id: string };
    expect(inquiry).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      category: 'restore',
      status: 'open',
      messages: [{ author: 'user', body: 'A file did not restore.' }],
      attachments: [{ index: 0, name: 'log.txt', type: 'text/plain', size: 1000 }],
    });
    const back = await alice.call('GET', `/inquiries/${inquiry.id}/attachments/0`);
    expect(back.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await back.arrayBuffer()).equals(file)).toBe(true);
    expect((await alice.call('GET', `/inquiries/${inquiry.id}/attachments/1`)).status).toBe(404);

    const three = Array.from({ length: 3 }, (_, i) => ({ name: `f${i}`, type: 'text/plain', data: b64(randomBytes(10)) }));
    expect(await errorOf(await alice.call('POST', '/inquiries', { category: 'other', message: 'x', attachments: three }))).toEqual([400, 'invalid-request']);
    const big = [{ name: 'big', type: 'text/plain', data: b64(randomBytes(1001)) }];
    expect(await errorOf(await alice.call('POST', '/inquiries', { category: 'other', message: 'x', attachments: big }))).toEqual([413, 'too-large']);
    expect(await errorOf(await alice.call('POST', '/inquiries', { category: 'gossip', message: 'x' }))).toEqual([400, 'invalid-request']);
    expect(await errorOf(await alice.call('POST', '/inquiries', { category: 'other', message: '   ' }))).toEqual([400, 'invalid-request']);
    expect((await request(server, 'POST', '/inquiries', { category: 'other', message: 'x' })).status).toBe(401);
  });

  test('the operator lists all, replies and closes; the reply and status appear in the user’s list', async () => {
    const bob = await register(server);
    const { id } = (await (await bob.call('POST', '/inquiries', { category: 'account', message: 'Change my plan?' })).json()) as { id: string };
    const open = (await (await operator(server, 'GET', '/operator/inquiries?status=open')).json()) as { inquiries: { id: string; accountId: string }[] };
    expect(open.inquiries.find((i) => i.id === id)?.accountId).toBe(bob.accountId);
    expect(await errorOf(await operator(server, 'POST', `/operator/inquiries/${id}/reply`, { message: 'Yes.' }, 'wrong-token-wrong-token'))).toEqual([401, 'operator-unauthorized']);
    expect(await errorOf(await bob.call('POST', `/operator/inquiries/${id}/reply`, { message: 'Self-answer' }))).toEqual([401, 'operator-unauthorized']);
    const reply = await operator(server, 'POST', `/operator/inquiries/${id}/reply`, { message: 'Yes, in settings.' });
    expect(reply.status).toBe(200);
    const mine = (await (await bob.call('GET', '/inquiries')).json()) as { inquiries: { id: string; status: string; messages: { author: string; body: string }[] }[] };
    expect(mine.inquiries).toHaveLength(1);
    expect(mine.inquiries[0]).toMatchObject({ id, status: 'answered', messages: [{ author: 'user' }, { author: 'operator', body: 'Yes, in settings.' }] });
    expect(JSON.stringify(mine)).not.toContain('accountId');
    expect((await operator(server, 'POST', `/operator/inquiries/${id}/status`, { status: 'closed' })).status).toBe(200);
    expect(await (await bob.call('GET', `/inquiries/${id}`)).json()).toMatchObject({ status: 'closed' });
    expect((await operator(server, 'POST', `/operator/inquiries/${'0'.repeat(32)}/reply`, { message: 'x' })).status).toBe(404);
    expect((await operator(server, 'GET', '/operator/inquiries?status=closed')).status).toBe(200);
  });

  test('external services: listed from configuration; connecting needs its own consent; disconnecting removes it', async () => {
    const list = async () => ((await (await alice.call('GET', '/external-services')).json()) as { services: { id: string; connected: boolean; consent: string }[] }).services;
    expect(await list()).toEqual([{ id: 'print-partner', name: 'Print Partner', description: 'Photo prints', dataShared: 'Photos you choose to print', connected: false, consent: 'none' }]);
    expect(await errorOf(await alice.call('POST', '/external-services/print-partner/connect'))).toEqual([403, 'consent-required']);
    expect((await consent(alice, 'service-operation')).status).toBe(201);
    expect(await errorOf(await alice.call('POST', '/external-services/print-partner/connect'))).toEqual([403, 'consent-required']);
    expect((await consent(alice, 'external:print-partner')).status).toBe(201);
    expect((await alice.call('POST', '/external-services/print-partner/connect')).status).toBe(201);
    expect(await list()).toMatchObject([{ connected: true, consent: 'granted' }]);
    expect(await (await alice.call('POST', '/external-services/print-partner/disconnect')).json()).toEqual({ id: 'print-partner', connected: false, removed: 1 });
    expect(await list()).toMatchObject([{ connected: false }]);
    expect((await alice.call('POST', '/external-services/unknown/connect')).status).toBe(404);
  });

  test('the services on offer are public with the policy, for first-run consent before any account exists', async () => {
    for (const path of ['/policy', '/policy?lang=ja', '/policy/1']) {
      const res = await request(server, 'GET', path);
      expect(res.status).toBe(200);
      // What is offered, never who is connected: the answer is the same for everyone.
      expect(((await res.json()) as { externalServices: unknown }).externalServices).toEqual([
        { id: 'print-partner', name: 'Print Partner', description: 'Photo prints', dataShared: 'Photos you choose to print' },
      ]);
    }
  });
});

test('with no external service configured the list is empty', async () => {
  const server = await startServer();
  try {
    const alice = await register(server);
    expect(await (await alice.call('GET', '/external-services')).json()).toEqual({ services: [] });
    expect(((await (await request(server, 'GET', '/policy')).json()) as { externalServices: unknown }).externalServices).toEqual([]);
  } finally {
    await server.close();
  }
});
