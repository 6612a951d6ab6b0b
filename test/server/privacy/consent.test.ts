/**
 * The policy and the consent ledger over HTTP: the documents, appending with chain checks, the
 * verification (a tampered row is found), the receipt, and the sync gate of a significant revision.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { POLICY_VERSIONS } from '../../../src/core/policy/versions.ts';
import type { PolicyVersion } from '../../../src/core/policy/types.ts';
import { BACKENDS, b64, randomChunkId, register, request, snapshotBody, startServer, type Account, type Backend, type TestServer } from '../harness.ts';
import { consent, errorOf, ledgerOf, privacyConfig } from './helpers.ts';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { SqliteMetaStore } from '../../../server/storage/sqlite-meta.ts';
import { FsObjectStore } from '../../../server/storage/fs-objects.ts';

describe.each<Backend>(BACKENDS)('policy and consent on the %s backend', (backend) => {
  let server: TestServer;
  let alice: Account;

  beforeAll(async () => {
    server = await startServer({ backend, config: privacyConfig() });
    alice = await register(server);
  });
  afterAll(() => server.close());

  test('GET /policy: the current version in both languages, with sections and the operator filled in', async () => {
    const res = await request(server, 'GET', '/policy');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { version: number; hash: string; current: boolean; significant: boolean; versions: unknown[]; languages: Record<string, { privacy: { id: string; body: string }[] }> };
    expect(body).toMatchObject({ version: 2, current: true, significant: true, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(Object.keys(body.languages).sort()).toEqual(['en', 'ja']);
    expect(body.languages.en!.privacy.find((s) => s.id === 'contact')!.body).toContain('Kura Test KK');
    expect(body.versions).toEqual([
      { version: 1, date: '2026-10-01', significant: false },
      { version: 2, date: '2026-11-20', significant: true },
    ]);
    const ja = (await (await request(server, 'GET', '/policy?lang=ja')).json()) as typeof body;
    expect(Object.keys(ja.languages)).toEqual(['ja']);
    expect(ja.hash).toBe(body.hash);
    expect(await errorOf(await request(server, 'GET', '/policy?lang=fr'))).toEqual([400, 'invalid-request']);
  });

  test('GET /policy/:version: older versions, 404 for unknown ones', async () => {
    const v1 = (await (await request(server, 'GET', '/policy/1')).json()) as { version: number; current: boolean; hash: string };
    expect(v1).toMatchObject({ version: 1, current: false });
    expect(v1.hash).not.toBe(((await (await request(server, 'GET', '/policy/2')).json()) as { hash: string }).hash);
    expect((await request(server, 'GET', '/policy/9')).status).toBe(404);
    expect((await request(server, 'GET', '/policy/x')).status).toBe(404);
  });

  test('POST /consents appends linked entries with the version’s hash and the session’s device', async () => {
    const policy = (await (await request(server, 'GET', '/policy')).json()) as { hash: string };
    expect(await ledgerOf(alice)).toMatchObject({ entries: [], policy: { currentVersion: 2, acceptedVersion: null, mustAccept: false } });
    const first = await consent(alice, 'service-operation');
    expect(first.status).toBe(201);
    const { entry } = (await first.json()) as { entry: Record<string, unknown> };
    expect(entry).toMatchObject({ seq: 1, purpose: 'service-operation', action: 'granted', policyVersion: 2, policyHash: policy.hash, deviceId: alice.deviceId, prevHash: '0'.repeat(64), time: server.deps.now() });
    expect((await consent(alice, 'usage-statistics')).status).toBe(201);
    const { entries, policy: state } = await ledgerOf(alice);
    expect(entries.map((e) => [e.seq, e.purpose])).toEqual([[1, 'service-operation'], [2, 'usage-statistics']]);
    expect(state).toEqual({ currentVersion: 2, acceptedVersion: 2, mustAccept: false });
    expect(await (await alice.call('GET', '/consents/verify')).json()).toEqual({ ok: true, length: 2, head: entries[1]!.hash });
  });

  test('a stale or invented link is refused with consent-chain-broken; bad bodies with 400; no session 401', async () => {
    const stale = await alice.call('POST', '/consents', { purpose: 'support', action: 'granted', policyVersion: 2, screenVersion: 's', prevHash: '0'.repeat(64) });
    expect(await errorOf(stale)).toEqual([409, 'consent-chain-broken']);
    const { entries } = await ledgerOf(alice);
    const prevHash = entries.at(-1)!.hash;
    for (const body of [
      { purpose: 'marketing', action: 'granted', policyVersion: 2, screenVersion: 's', prevHash },
      { purpose: 'support', action: 'granted', policyVersion: 7, screenVersion: 's', prevHash },
      { purpose: 'external:not-configured', action: 'granted', policyVersion: 2, screenVersion: 's', prevHash },
      { purpose: 'support', action: 'maybe', policyVersion: 2, screenVersion: 's', prevHash },
    ]) {
      expect(await errorOf(await alice.call('POST', '/consents', body))).toEqual([400, 'invalid-request']);
    }
    expect((await request(server, 'POST', '/consents', { purpose: 'support', action: 'granted', policyVersion: 2, screenVersion: 's', prevHash })).status).toBe(401);
    expect((await request(server, 'GET', '/consents')).status).toBe(401);
  });

  test('GET /consents/receipt: a Kantara v1.1 receipt of the purposes granted now; 404 for an empty ledger', async () => {
    const res = await alice.call('GET', '/consents/receipt?lang=ja');
    expect(res.status).toBe(200);
    const receipt = (await res.json()) as Record<string, unknown> & { services: { purposes: { purpose: string }[] }[] };
    const { entries } = await ledgerOf(alice);
    expect(receipt).toMatchObject({ version: 'KI-CR-v1.1.0', language: 'ja', jurisdiction: 'JP', consentReceiptID: entries.at(-1)!.hash, piiPrincipalId: alice.accountId, policyUrl: '/api/v1/policy' });
    expect(receipt.services[0]!.purposes.map((p) => p.purpose)).toEqual(['service-operation', 'usage-statistics']);
    const fresh = await register(server);
    expect((await fresh.call('GET', '/consents/receipt')).status).toBe(404);
  });
});

describe('a tampered ledger row is found by verification and blocks appending', () => {
  test('on the embedded store, edited behind the server’s back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kura-ledger-'));
    const stores = { meta: new SqliteMetaStore(join(dir, 'kura.sqlite')), objects: new FsObjectStore(dir) };
    const server = await startServer({ stores, config: privacyConfig() });
    try {
      const alice = await register(server);
      for (const purpose of ['service-operation', 'security-logging', 'usage-statistics']) expect((await consent(alice, purpose)).status).toBe(201);
      const db = new Database(join(dir, 'kura.sqlite'));
      db.prepare(`UPDATE consents SET action = 'withdrawn' WHERE account_id = ? AND seq = 2`).run(alice.accountId);
      db.close();
      expect(await (await alice.call('GET', '/consents/verify')).json()).toMatchObject({ ok: false, length: 3, brokenAt: 2, reason: 'hash' });
      expect(await errorOf(await consent(alice, 'support'))).toEqual([409, 'consent-chain-broken']);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a significant revision the account has not accepted stops sync writes until a grant', () => {
  const DAY = 86_400_000;
  // A version 3 that takes effect two days after the harness clock starts (2026-11-29 12:00 UTC).
  const v3: PolicyVersion = { ...POLICY_VERSIONS[1]!, version: 3, date: '2026-12-01', significant: true, summary: { en: 'v3', ja: 'v3' } };
  let server: TestServer;
  let alice: Account;

  beforeAll(async () => {
    server = await startServer({ config: privacyConfig(), deps: { policies: [...POLICY_VERSIONS, v3] } });
    alice = await register(server);
  });
  afterAll(() => server.close());

  test('registered after version 2 took effect: writes are accepted', async () => {
    expect((await ledgerOf(alice)).policy).toEqual({ currentVersion: 2, acceptedVersion: null, mustAccept: false });
    expect((await alice.putChunk(randomChunkId(), randomBytes(100))).status).toBe(201);
  });

  test('once version 3 is in force: chunk uploads and commits are refused; reads, export and deletion still work', async () => {
    const chunk = randomChunkId();
    expect((await alice.putChunk(chunk, randomBytes(100))).status).toBe(201);
    server.advance(2 * DAY);
    expect((await ledgerOf(alice)).policy).toEqual({ currentVersion: 3, acceptedVersion: null, mustAccept: true });
    expect(await errorOf(await alice.putChunk(randomChunkId(), randomBytes(100)))).toEqual([403, 'policy-not-accepted']);
    expect(await errorOf(await alice.call('POST', '/snapshots', snapshotBody(alice.deviceId, 1, [chunk])))).toEqual([403, 'policy-not-accepted']);
    expect((await alice.call('GET', `/chunks/${chunk}`)).status).toBe(200);
    expect((await alice.call('GET', '/account/export')).status).toBe(200);
    // An old grant does not count: it names version 2.
    expect((await consent(alice, 'service-operation', 'granted', 2)).status).toBe(201);
    expect(await errorOf(await alice.putChunk(randomChunkId(), randomBytes(100)))).toEqual([403, 'policy-not-accepted']);
  });

  test('a grant of version 3 opens sync again; withdrawing service-operation closes it', async () => {
    expect((await consent(alice, 'service-operation', 'granted', 3)).status).toBe(201);
    expect((await ledgerOf(alice)).policy).toEqual({ currentVersion: 3, acceptedVersion: 3, mustAccept: false });
    const chunk = randomChunkId();
    expect((await alice.putChunk(chunk, randomBytes(100))).status).toBe(201);
    expect((await alice.call('POST', '/snapshots', snapshotBody(alice.deviceId, 1, [chunk], { sealed: b64(randomBytes(40)) }))).status).toBe(201);
    expect((await consent(alice, 'service-operation', 'withdrawn', 3)).status).toBe(201);
    expect(await errorOf(await alice.putChunk(randomChunkId(), randomBytes(100)))).toEqual([403, 'policy-not-accepted']);
  });
});
