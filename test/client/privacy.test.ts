/**
 * The privacy service end to end in Node, against the real server: the consent ledger appended on
 * the server and kept on the device (verified here, read offline), first-run consent recorded once,
 * usage statistics never sent without the grant and sent once a day with it (the very bytes the
 * preview showed), the access log's filters as query parameters, suspension, a significant
 * revision stopping sync until it is accepted, and deletion with the passphrase.
 */
import { readFileSync } from 'node:fs';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newDeviceId } from '../../src/core/ids.ts';
import { POLICY_VERSIONS } from '../../src/core/policy/versions.ts';
import type { PolicyVersion } from '../../src/core/policy/types.ts';
import { usagePayload, EMPTY_COUNTERS } from '../../src/core/policy/usage.ts';
import { KuraError } from '../../src/core/errors.ts';
import { usageStatsReport, type UsageStatsReport } from '../../src/core/protocol.ts';
import type { FileSource } from '../../src/client/backup/source.ts';
import { createAccount, type UnlockedAccount } from '../../src/client/account/flows.ts';
import { ApiClient } from '../../src/client/api/client.ts';
import { KuraDb } from '../../src/client/db/database.ts';
import { countBackupRun, LEDGER_KEY, localLedger, runCounter } from '../../src/client/privacy/ledger-store.ts';
import { DAY_MS, PrivacyService } from '../../src/client/privacy/service.ts';
import { RecordsService } from '../../src/client/records/service.ts';
import { MemoryStaging } from '../../src/client/staging/ports.ts';
import { SyncEngine } from '../../src/client/sync/engine.ts';
import { codeOf, fakeArgon2 } from '../core/helpers.ts';
import { startServer, type TestServer } from '../server/harness.ts';
import { privacyConfig } from '../server/privacy/helpers.ts';

const APP = { version: '1.4.2', browser: 'firefox' } as const;
// A significant version 3 that takes effect two days after the harness clock starts.
const v3: PolicyVersion = { ...POLICY_VERSIONS[1]!, version: 3, date: '2026-12-01', significant: true, summary: { en: 'v3', ja: 'v3' } };

interface Sent {
  readonly method: string;
  readonly url: URL;
  readonly body: string | undefined;
}

let server: TestServer;
let clock = Date.UTC(2026, 10, 29, 12);
let account: UnlockedAccount;
let db: KuraDb;
let api: ApiClient;
let privacy: PrivacyService;
let offline = false;
const sent: Sent[] = [];

beforeAll(async () => {
  server = await startServer({ config: privacyConfig(), deps: { policies: [...POLICY_VERSIONS, v3] } });
  const email = `privacy-${Math.random().toString(36).slice(2)}@example.com`;
  ({ account } = await createAccount(new ApiClient({ origin: server.origin }), { email, passphrase: 'pw', device: { id: newDeviceId(), name: 'Laptop', model: '' }, argon2: fakeArgon2 }));
  db = new KuraDb(`privacy-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  api = new ApiClient({
    origin: server.origin,
    token: account.token,
    retry: { retries: 0, sleep: async () => undefined },
    fetch: async (input, init) => {
      if (offline) throw new TypeError('fetch failed');
      sent.push({ method: init?.method ?? 'GET', url: new URL(String(input)), body: typeof init?.body === 'string' ? init.body : undefined });
      return fetch(input, init);
    },
  });
  privacy = new PrivacyService(() => ({ db, api, deviceId: account.deviceId, keys: account.keys }), { now: () => clock, argon2: fakeArgon2, app: APP });
});
afterAll(() => server.close());

const advance = (ms: number) => {
  clock += ms;
  server.advance(ms);
};
const sentSince = (mark: number) => sent.slice(mark);

describe('first-run consent and the ledger', () => {
  test('onboarding grants the required purposes, and an optional one only when chosen; recording it again adds nothing', async () => {
    await privacy.recordFirstRun({ 'usage-statistics': false, support: false });
    const ledger = await privacy.consents();
    expect(ledger.entries.map((e) => [e.purpose, e.granted, e.policyVersion, e.screen])).toEqual([
      ['service-operation', true, '2', '1.4.2/onboarding'],
      ['security-logging', true, '2', '1.4.2/onboarding'],
    ]);
    expect(ledger.current).toEqual({ 'service-operation': true, 'security-logging': true });
    expect(ledger.verified).toBe(true);
    expect(ledger.entries[1]!.previousHash).toBe(ledger.entries[0]!.hash);

    await privacy.recordFirstRun({ 'usage-statistics': false });
    expect((await privacy.consents()).entries).toHaveLength(2);
  });

  test('a grant or withdrawal is appended after the head and kept on the device as the server returned it', async () => {
    const before = (await privacy.consents()).entries;
    const mark = sent.length;
    await privacy.setConsent('support', true);
    const append = sentSince(mark).find((r) => r.method === 'POST' && r.url.pathname.endsWith('/consents'))!;
    expect(JSON.parse(append.body!)).toMatchObject({ purpose: 'support', action: 'granted', policyVersion: 2, prevHash: before.at(-1)!.hash });
    await privacy.setConsent('support', false);

    const onServer = (await (await fetch(`${server.url}/consents`, { headers: { authorization: `Bearer ${account.token}` } })).json()) as { entries: unknown[] };
    expect(await localLedger(db)).toEqual(onServer.entries);
    expect(onServer.entries).toHaveLength(before.length + 2);
    expect((await privacy.consents()).current.support).toBe(false);
  });

  test('offline, the ledger is the device copy, still verified here; an altered copy is not', async () => {
    const online = await privacy.consents();
    offline = true;
    try {
      const local = await privacy.consents();
      expect(local).toEqual(online);
      const stored = await localLedger(db);
      await db.settings.put({ key: LEDGER_KEY, value: stored.map((e, i) => (i === 0 ? { ...e, screenVersion: 'edited' } : e)) });
      expect((await privacy.consents()).verified).toBe(false);
      await db.settings.put({ key: LEDGER_KEY, value: stored });
      expect(await codeOf(privacy.setConsent('support', true))).toBe('network-unavailable');
    } finally {
      offline = false;
    }
  });
});

describe('usage statistics', () => {
  test('without the grant nothing is counted and nothing is sent: not one request', async () => {
    await countBackupRun(db, { sizes: [10, 5_000_000], errors: ['source-unreadable'] });
    expect(JSON.parse((await privacy.usageReport()).payload)).toMatchObject({ backupsRun: 0 });
    const mark = sent.length;
    expect(await privacy.sendUsageIfDue()).toBe('not-granted');
    expect(sentSince(mark)).toEqual([]);
    expect(sent.some((r) => r.url.pathname.endsWith('/stats'))).toBe(false);
  });

  test('with it: counted, previewed, and sent once a day as exactly the previewed bytes', async () => {
    await privacy.setConsent('usage-statistics', true);
    await countBackupRun(db, { sizes: [10, 5_000_000, 2 * 1024 ** 3], errors: [] });
    await countBackupRun(db, { sizes: [200_000_000], errors: ['source-unreadable', 'source-unreadable', 'Not A Code'] });
    const { payload } = await privacy.usageReport();
    expect(usageStatsReport.parse(JSON.parse(payload))).toEqual({
      appVersion: '1.4.2',
      browserFamily: 'firefox',
      backupsRun: 2,
      filesBySize: { under1MiB: 1, to10MiB: 1, to100MiB: 0, to1GiB: 1, over1GiB: 1 },
      errors: { other: 1, 'source-unreadable': 2 },
    });

    const mark = sent.length;
    expect(await privacy.sendUsageIfDue()).toBe('sent');
    const posts = sentSince(mark).filter((r) => r.url.pathname.endsWith('/stats'));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toBe(payload);
    const day = new Date(clock).toISOString().slice(0, 10);
    expect(await server.deps.meta.privacy.statsSummary(day, day)).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'backupsRun', value: 2 }), expect.objectContaining({ name: 'error:source-unreadable', value: 2 })]),
    );

    // The counters start again; the next report waits a day.
    const after = await privacy.usageReport();
    expect(after.payload).toBe(usagePayload(EMPTY_COUNTERS, APP));
    expect(after).toMatchObject({ lastSentAt: clock, nextAt: clock + DAY_MS });
    await countBackupRun(db, { sizes: [1], errors: [] });
    const again = sent.length;
    expect(await privacy.sendUsageIfDue()).toBe('not-due');
    expect(sentSince(again)).toEqual([]);
    advance(DAY_MS);
    expect(await privacy.sendUsageIfDue()).toBe('sent');
  });

  test('a backup run is counted where it ends: its listed files by size, its failures by code', async () => {
    const files = [
      { path: 'a.jpg', size: 3 * 1024 * 1024 },
      { path: 'b.txt', size: 10 },
    ];
    const source = {
      id: 'src_1',
      async *list() {
        for (const f of files) yield { ...f, lastModified: 0, type: '', open: async () => new Blob([]).stream() };
      },
    } as unknown as FileSource;
    const before = JSON.parse((await privacy.usageReport()).payload) as UsageStatsReport;
    const counted = runCounter(db, source);
    const listed: string[] = [];
    const run = async () => {
      for await (const f of counted.source.list(() => undefined)) listed.push(f.path);
      return { failures: [{ path: 'b.txt', code: 'source-changed', message: '' }] };
    };
    await counted.ended(run());
    expect(listed).toEqual(['a.jpg', 'b.txt']);
    const after = JSON.parse((await privacy.usageReport()).payload) as UsageStatsReport;
    expect(after.backupsRun).toBe(before.backupsRun + 1);
    expect(after.filesBySize.to10MiB).toBe(before.filesBySize.to10MiB + 1);
    expect(after.errors['source-changed']).toBe(1);
    // A run that fails is counted with its error's code, and the error still reaches the caller.
    expect(await codeOf(runCounter(db, source).ended(Promise.reject(new KuraError('quota-exceeded'))))).toBe('quota-exceeded');
    expect((JSON.parse((await privacy.usageReport()).payload) as UsageStatsReport).errors['quota-exceeded']).toBe(1);
  });

  test('withdrawn on another device: the server refuses, and this device learns it from the ledger', async () => {
    const other = new PrivacyService(() => ({ db: new KuraDb(`other-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange }), api, deviceId: account.deviceId }), { now: () => clock, app: APP });
    await other.setConsent('usage-statistics', false);
    advance(DAY_MS);
    expect(await privacy.sendUsageIfDue()).toBe('not-granted');
    await privacy.setConsent('usage-statistics', true);
  });

  test('withdrawn: the unsent counts are dropped, and counting and sending stop at once', async () => {
    await countBackupRun(db, { sizes: [1], errors: [] });
    expect(JSON.parse((await privacy.usageReport()).payload)).toMatchObject({ backupsRun: 1 });
    await privacy.setConsent('usage-statistics', false);
    expect(JSON.parse((await privacy.usageReport()).payload)).toMatchObject({ backupsRun: 0 });
    advance(DAY_MS);
    await countBackupRun(db, { sizes: [1], errors: [] });
    expect(JSON.parse((await privacy.usageReport()).payload)).toMatchObject({ backupsRun: 0 });
    const mark = sent.length;
    expect(await privacy.sendUsageIfDue()).toBe('not-granted');
    expect(sentSince(mark)).toEqual([]);
  });
});

describe('rights', () => {
  test('the access log: each filter becomes its query parameter, pages follow nextOffset', async () => {
    const mark = sent.length;
    const page = await privacy.accessLog({ from: clock - DAY_MS * 5, to: clock, deviceId: account.deviceId, action: 'consents' });
    const query = sentSince(mark).find((r) => r.url.pathname.endsWith('/account/access-log'))!.url.searchParams;
    expect(Object.fromEntries(query)).toEqual({
      from: String(clock - DAY_MS * 5),
      to: String(clock),
      deviceId: account.deviceId,
      action: 'consents',
      offset: '0',
      limit: '50',
      format: 'json',
    });
    expect(page.entries.length).toBeGreaterThan(0);
    expect(page.entries.every((e) => /^(GET|POST) \/consents/.test(e.action) && e.deviceId === account.deviceId && e.deviceName === 'Laptop')).toBe(true);
    // A filter taken from an entry's action ("POST /consents") asks for its route class.
    const again = sent.length;
    await privacy.accessLog({ action: 'POST /consents' }, '50');
    const second = sentSince(again).find((r) => r.url.pathname.endsWith('/account/access-log'))!.url.searchParams;
    expect([second.get('action'), second.get('offset')]).toEqual(['consents', '50']);
    const csv = await privacy.accessLogFile({ action: 'consents' }, 'csv');
    expect(csv.split('\n')[0]).toBe('time,ip,deviceId,route,status');
  });

  test('inquiries: sent with an attachment, listed newest first in the screens\' shape; email change pending', async () => {
    const data = 'aGVsbG8'; // "hello", base64url
    const sentInquiry = await privacy.sendInquiry('restore', 'Where is my receipt?', [{ name: 'note.txt', type: 'text/plain', data, size: 5 }]);
    expect(sentInquiry).toMatchObject({ category: 'restore', message: 'Where is my receipt?', status: 'open', attachments: [{ name: 'note.txt', size: 5 }], replies: [] });
    expect((await privacy.inquiries()).map((i) => i.id)).toEqual([sentInquiry.id]);
    expect(await privacy.externalServices()).toEqual([]);
    await privacy.changeEmail('hana.new@example.com');
    const mark = sent.length;
    expect(await privacy.account()).toMatchObject({ pendingEmail: 'hana.new@example.com', retentionDays: 30, operator: { name: 'Kura Test KK' } });
    // One light request: the account view, not the whole disclosure archive (nor an export line in the access log).
    expect(sentSince(mark).map((r) => `${r.method} ${r.url.pathname}`)).toEqual(['GET /api/v1/account']);
    expect(await codeOf(privacy.confirmEmail('00000000'))).toBe('bad-credentials');
  });

  test('suspension stops sync writes and resuming opens them again', async () => {
    await privacy.suspend();
    expect((await privacy.account()).status).toBe('suspended');
    expect(await codeOf(api.putChunk(`c_${'a'.repeat(43)}` as never, new Uint8Array(10)))).toBe('account-suspended');
    await privacy.resume();
    const state = await privacy.account();
    expect(state).toMatchObject({ status: 'active', operator: { name: 'Kura Test KK' } });
  });

  test('a significant revision: sync stops with policy-not-accepted until the new version is accepted', async () => {
    const staging = new MemoryStaging();
    const records = new RecordsService(() => ({ db, staging, api, keys: account.keys, deviceId: account.deviceId }), () => clock);
    const vcf = new Uint8Array(readFileSync(new URL('../fixtures/records/contacts/google.vcf', import.meta.url)));
    await records.commit((await records.preview(vcf, 'google.vcf', { timeZone: 'Asia/Tokyo', kind: 'contacts' })).id);
    advance(2 * DAY_MS); // version 3 is in force
    expect(await new SyncEngine({ db, staging, api }).run()).toEqual({ kind: 'error', code: 'policy-not-accepted' });

    const view = await privacy.policy('en');
    expect(view).toMatchObject({ mustReview: true, current: { version: '3', significant: true }, accepted: { version: '2' } });
    await privacy.acceptPolicy('3');
    expect((await privacy.policy('en')).mustReview).toBe(false);
    expect(await new SyncEngine({ db, staging, api }).run()).toEqual({ kind: 'in-sync' });
  });

  test('disclosure: the server’s archive, plus the content index decrypted on this device', async () => {
    const archive = JSON.parse(await privacy.exportArchive()) as Record<string, unknown> & { contentIndex: { decryptedOnDevice: boolean; records: { kind: string; records: number }[] } };
    expect(archive).toMatchObject({ format: 'kura-account-export-v1', account: expect.any(Object), consents: { entries: expect.any(Array) } });
    // The contacts imported before the revision: sealed on the server, named here.
    expect(archive.contentIndex.decryptedOnDevice).toBe(true);
    expect(archive.contentIndex.records).toEqual([expect.objectContaining({ kind: 'contacts', records: 1, deleted: 0, versions: 1 })]);
    expect(JSON.stringify(archive.contentIndex)).not.toContain('BEGIN:VCARD');
  });

  test('deletion asks for the passphrase, proven as at sign-in, and answers with the receipt and purge date', async () => {
    expect(await codeOf(privacy.deleteAccount('wrong'))).toBe('bad-credentials');
    const receipt = await privacy.deleteAccount('pw');
    expect(receipt).toEqual({ receiptId: expect.stringMatching(/^[0-9a-f]{32}$/), dueAt: clock + 30 * DAY_MS });
  });
});
