/**
 * Cross-tenant isolation of the privacy routes: Bob, signed in, reaches none of Alice's ledger,
 * inquiries (and attachments), access log, export or external links; her inquiry ids answer as
 * random ones.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS, b64, register, startServer, type Account, type Backend, type TestServer } from '../harness.ts';
import { consent, privacyConfig } from './helpers.ts';

describe.each<Backend>(BACKENDS)('privacy routes across tenants on the %s backend', (backend) => {
  let server: TestServer;
  let alice: Account;
  let bob: Account;
  let inquiryId: string;

  beforeAll(async () => {
    server = await startServer({ backend, config: privacyConfig() });
    alice = await register(server);
    bob = await register(server);
    expect((await consent(alice, 'service-operation')).status).toBe(201);
    const attachments = [{ name: 'secret.txt', type: 'text/plain', data: b64(randomBytes(50)) }];
    const res = await alice.call('POST', '/inquiries', { category: 'privacy', message: 'Alice’s private question', attachments });
    inquiryId = ((await res.json()) as { id: string }).id;
  });
  afterAll(() => server.close());

  test('Alice’s inquiry and its attachment answer Bob exactly as a random id does', async () => {
    const random = randomBytes(16).toString('hex');
    for (const path of [(id: string) => `/inquiries/${id}`, (id: string) => `/inquiries/${id}/attachments/0`]) {
      const [theirs, other] = [await bob.call('GET', path(inquiryId)), await bob.call('GET', path(random))];
      expect([theirs.status, other.status]).toEqual([404, 404]);
      expect(await theirs.text()).toBe(await other.text());
    }
  });

  test('Bob’s lists, log and export hold nothing of Alice’s', async () => {
    expect(await (await bob.call('GET', '/inquiries')).json()).toEqual({ inquiries: [] });
    expect(((await (await bob.call('GET', '/consents')).json()) as { entries: unknown[] }).entries).toEqual([]);
    expect(await (await bob.call('GET', '/consents/verify')).json()).toMatchObject({ ok: true, length: 0 });
    const log = (await (await bob.call('GET', '/account/access-log?limit=1000')).json()) as { entries: { deviceId: string | null }[] };
    expect(log.entries.length).toBeGreaterThan(0);
    expect(log.entries.every((e) => e.deviceId === bob.deviceId)).toBe(true);
    const exported = JSON.stringify(await (await bob.call('GET', '/account/export')).json());
    for (const secret of [alice.accountId, alice.deviceId, alice.reg.email, inquiryId, 'Alice’s private question']) expect(exported).not.toContain(secret);
    expect(await (await bob.call('GET', '/consents/receipt')).json()).toMatchObject({ error: { code: 'not-found' } });
  });

  test('Bob appending to the ledger with Alice’s head is refused; her ledger is unchanged', async () => {
    const aliceHead = ((await (await alice.call('GET', '/consents')).json()) as { entries: { hash: string }[] }).entries[0]!.hash;
    const res = await bob.call('POST', '/consents', { purpose: 'support', action: 'granted', policyVersion: 2, screenVersion: 's', prevHash: aliceHead });
    expect(res.status).toBe(409);
    expect(((await (await alice.call('GET', '/consents')).json()) as { entries: unknown[] }).entries).toHaveLength(1);
  });
});
