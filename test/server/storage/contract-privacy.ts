/**
 * The storage contract's privacy half (privacy-ports.ts), run inside metaStoreContract so every
 * backend passes it: account status, the consent chain, email changes and the outbox, inquiries,
 * external links, statistics, the filtered access log and the purge.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { newDeviceId, type AccountId, type DeviceId } from '../../../src/core/ids.ts';
import { chainEntry, type ConsentEntry } from '../../../src/core/policy/ledger.ts';
import type { AccountRecord, DeviceRecord, MetaStore, SessionRecord } from '../../../server/storage/ports.ts';
import { chunkId, device, session, snapshot, T0 } from './contract.ts';

type Seeded = () => Promise<{ a: AccountRecord; d: DeviceRecord; s: SessionRecord }>;
const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : undefined);

async function consent(head: ConsentEntry | undefined, deviceId: DeviceId, purpose: ConsentEntry['purpose'] = 'service-operation') {
  return chainEntry(head, { purpose, action: 'granted', policyVersion: 2, policyHash: 'ab'.repeat(32), time: T0, deviceId, screenVersion: 's' });
}

export function privacyContract(get: () => MetaStore, seeded: Seeded): void {
  describe('privacy', () => {
    test('suspend and resume; deletion shreds the passphrase wrap, ends sessions, and can be undone', async () => {
      const store = get();
      const { a, d, s } = await seeded();
      const other = session(a.id, d.id, T0 + 5000);
      await store.createSession(other);
      expect(await store.privacy.setSuspended(a.id, true)).toBe(true);
      expect((await store.getAccount(a.id))?.status).toBe('suspended');
      expect(await store.privacy.endSessionsExcept(a.id, s.tokenHash)).toBe(1);
      expect(await store.getSession(s.tokenHash)).toBeDefined();
      expect(await store.getSession(other.tokenHash)).toBeUndefined();
      expect(await store.privacy.setSuspended(a.id, false)).toBe(true);
      expect((await store.getAccount(a.id))?.status).toBe('active');

      const deletion = { requestedAt: T0, dueAt: T0 + 1000, receiptId: 'ab'.repeat(16) };
      const scrambled = { salt: randomBytes(16), hash: randomBytes(32) };
      expect(await store.privacy.markDeleted(a.id, deletion, scrambled)).toBe(true);
      expect(await store.privacy.markDeleted(a.id, deletion, scrambled)).toBe(false);
      const pending = (await store.getAccount(a.id))!;
      expect(pending).toMatchObject({ status: 'deleted-pending', deletion });
      expect(pending.wrappedMasterKey.length).toBe(0);
      expect(hex(pending.authVerifier.hash)).toBe(hex(scrambled.hash));
      expect(hex(pending.wrappedRecoveryKey)).toBe(hex(a.wrappedRecoveryKey));
      expect(await store.getSession(s.tokenHash)).toBeUndefined();
      expect(await store.privacy.setSuspended(a.id, true)).toBe(false);
      expect((await store.privacy.dueForPurge(T0 + 999)).map((x) => x.id)).toEqual([]);
      expect((await store.privacy.dueForPurge(T0 + 1000)).map((x) => x.id)).toEqual([a.id]);

      const keys = { kdf: { ...a.kdf, t: 4 }, authVerifier: { salt: randomBytes(16), hash: randomBytes(32) }, wrappedMasterKey: randomBytes(61) };
      expect(await store.privacy.restoreDeleted(a.id, keys)).toBe(true);
      expect(await store.privacy.restoreDeleted(a.id, keys)).toBe(false);
      const back = (await store.getAccount(a.id))!;
      expect(back.status).toBe('active');
      expect(back.deletion).toBeUndefined();
      expect(back.kdf.t).toBe(4);
      expect(hex(back.wrappedMasterKey)).toBe(hex(keys.wrappedMasterKey));
      expect(await store.privacy.dueForPurge(T0 + 10_000)).toEqual([]);
    });

    test('the consent ledger appends only after its head, per account', async () => {
      const store = get();
      const { a, d } = await seeded();
      const { a: b } = await seeded();
      const e1 = await consent(undefined, d.id);
      const e2 = await consent(e1, d.id, 'usage-statistics');
      expect(await store.privacy.appendConsent(a.id, e2)).toBe('broken-chain');
      expect(await store.privacy.appendConsent(a.id, e1)).toBe('ok');
      expect(await store.privacy.appendConsent(a.id, e1)).toBe('broken-chain');
      expect(await store.privacy.appendConsent(a.id, { ...e2, prevHash: 'cd'.repeat(32) })).toBe('broken-chain');
      expect(await store.privacy.appendConsent(a.id, e2)).toBe('ok');
      expect(await store.privacy.listConsents(a.id)).toEqual([e1, e2]);
      expect(await store.privacy.listConsents(b.id)).toEqual([]);
      expect(await store.privacy.appendConsent(b.id, e1)).toBe('ok');
    });

    test('email changes replace each other; the outbox lists newest first', async () => {
      const store = get();
      const { a } = await seeded();
      await store.privacy.putEmailChange(a.id, { email: 'one@example.com', codeHash: randomBytes(32), expiresAt: T0 });
      const second = { email: 'two@example.com', codeHash: randomBytes(32), expiresAt: T0 + 1 };
      await store.privacy.putEmailChange(a.id, second);
      const found = await store.privacy.getEmailChange(a.id);
      expect(found).toMatchObject({ email: 'two@example.com', expiresAt: T0 + 1 });
      expect(hex(found?.codeHash)).toBe(hex(second.codeHash));
      await store.privacy.deleteEmailChange(a.id);
      expect(await store.privacy.getEmailChange(a.id)).toBeUndefined();
      await store.privacy.appendOutbox({ time: T0, accountId: a.id, to: 'x@example.com', subject: 's1', body: 'b1' });
      await store.privacy.appendOutbox({ time: T0 + 1, accountId: null, to: 'y@example.com', subject: 's2', body: 'b2' });
      expect((await store.privacy.listOutbox(10)).map((m) => m.subject)).toEqual(['s2', 's1']);
    });

    test('inquiries: own list and lookups, attachments, replies and status', async () => {
      const store = get();
      const { a } = await seeded();
      const { a: b } = await seeded();
      const bytes = randomBytes(300);
      const base = { category: 'backup', status: 'open' as const, messages: [{ author: 'user' as const, body: 'help', time: T0 }] };
      await store.privacy.createInquiry({ ...base, id: '1'.repeat(32), accountId: a.id, createdAt: T0, updatedAt: T0 }, [{ name: 'log.txt', type: 'text/plain', bytes }]);
      await store.privacy.createInquiry({ ...base, id: '2'.repeat(32), accountId: b.id, createdAt: T0 + 1, updatedAt: T0 + 1 }, []);
      expect((await store.privacy.listInquiries(a.id)).map((i) => i.id)).toEqual(['1'.repeat(32)]);
      expect((await store.privacy.listInquiries(null)).map((i) => i.id)).toEqual(['2'.repeat(32), '1'.repeat(32)]);
      expect(await store.privacy.getInquiry('1'.repeat(32), b.id)).toBeUndefined();
      expect(await store.privacy.getInquiryAttachment('1'.repeat(32), 0, b.id)).toBeUndefined();
      expect(hex((await store.privacy.getInquiryAttachment('1'.repeat(32), 0, a.id))?.bytes)).toBe(hex(bytes));
      expect(await store.privacy.addInquiryMessage('1'.repeat(32), { author: 'operator', body: 'done', time: T0 + 5 }, 'answered')).toBe(true);
      expect(await store.privacy.addInquiryMessage('3'.repeat(32), { author: 'operator', body: 'x', time: T0 }, 'answered')).toBe(false);
      const found = await store.privacy.getInquiry('1'.repeat(32), a.id);
      expect(found).toMatchObject({ status: 'answered', updatedAt: T0 + 5, attachments: [{ index: 0, name: 'log.txt', type: 'text/plain', size: 300 }] });
      expect(found?.messages.map((m) => [m.author, m.body])).toEqual([['user', 'help'], ['operator', 'done']]);
      expect(await store.privacy.setInquiryStatus('1'.repeat(32), 'closed', T0 + 6)).toBe(true);
      expect((await store.privacy.listInquiries(null, 'closed')).map((i) => i.id)).toEqual(['1'.repeat(32)]);
    });

    test('inquiries listed together each carry their own messages and attachments, in order', async () => {
      const store = get();
      const { a } = await seeded();
      const message = (body: string, time: number) => ({ author: 'user' as const, body, time });
      const base = { accountId: a.id, category: 'backup', status: 'open' as const };
      const file = (name: string, size: number) => ({ name, type: 'text/plain', bytes: randomBytes(size) });
      await store.privacy.createInquiry({ ...base, id: '4'.repeat(32), createdAt: T0, updatedAt: T0, messages: [message('a1', T0), message('a2', T0 + 1)] }, [file('a.txt', 3), file('b.txt', 4)]);
      await store.privacy.createInquiry({ ...base, id: '5'.repeat(32), createdAt: T0 + 1, updatedAt: T0 + 1, messages: [message('b1', T0 + 1)] }, []);
      await store.privacy.createInquiry({ ...base, id: '6'.repeat(32), createdAt: T0 + 2, updatedAt: T0 + 2, messages: [message('c1', T0 + 2)] }, [file('c.txt', 5)]);
      await store.privacy.addInquiryMessage('4'.repeat(32), { author: 'operator', body: 'a3', time: T0 + 3 }, 'answered');
      const listed = await store.privacy.listInquiries(a.id);
      expect(listed.map((i) => [i.id[0], i.messages.map((m) => m.body), i.attachments.map((f) => [f.index, f.name, f.size])])).toEqual([
        ['6', ['c1'], [[0, 'c.txt', 5]]],
        ['5', ['b1'], []],
        ['4', ['a1', 'a2', 'a3'], [[0, 'a.txt', 3], [1, 'b.txt', 4]]],
      ]);
      expect(await store.privacy.getInquiry('4'.repeat(32), a.id)).toEqual(listed[2]);
      expect(await store.privacy.listInquiries(a.id, 'closed')).toEqual([]);
    });

    test('external links are per account and per service', async () => {
      const store = get();
      const { a } = await seeded();
      const { a: b } = await seeded();
      await store.privacy.putExternalLink(a.id, { serviceId: 'partner', data: '{}', createdAt: T0 });
      await store.privacy.putExternalLink(b.id, { serviceId: 'partner', data: '{}', createdAt: T0 });
      expect((await store.privacy.listExternalLinks(a.id)).map((l) => l.serviceId)).toEqual(['partner']);
      expect(await store.privacy.deleteExternalLinks(a.id, 'partner')).toBe(1);
      expect(await store.privacy.listExternalLinks(a.id)).toEqual([]);
      expect(await store.privacy.listExternalLinks(b.id)).toHaveLength(1);
    });

    test('statistics: one report per marker, summed per day and counter', async () => {
      const store = get();
      expect(await store.privacy.recordStats('m1', '2026-11-01', { reports: 1, backupsRun: 3 })).toBe(true);
      expect(await store.privacy.recordStats('m1', '2026-11-01', { reports: 1, backupsRun: 3 })).toBe(false);
      expect(await store.privacy.recordStats('m2', '2026-11-01', { reports: 1, backupsRun: 2 })).toBe(true);
      expect(await store.privacy.recordStats('m3', '2026-11-02', { reports: 1 })).toBe(true);
      expect(await store.privacy.statsSummary('2026-11-01', '2026-11-01')).toEqual([
        { day: '2026-11-01', name: 'backupsRun', value: 5 },
        { day: '2026-11-01', name: 'reports', value: 2 },
      ]);
      expect(await store.privacy.pruneStatsMarkers('2026-11-02')).toBe(2);
      expect(await store.privacy.recordStats('m1', '2026-11-02', { reports: 1 })).toBe(true);
      expect(await store.privacy.statsSummary('2026-11-02', '2026-11-30')).toEqual([{ day: '2026-11-02', name: 'reports', value: 2 }]);
    });

    test('the access log filters by time, device and route class, pages, and is pruned by age', async () => {
      const store = get();
      const { a, d } = await seeded();
      const phone = newDeviceId();
      const routes = ['PUT /chunks/:id', 'GET /account', 'GET /account/export', 'POST /snapshots', 'GET /accounts'];
      for (let i = 0; i < 10; i++) {
        await store.appendAccessLog({ time: T0 + i, ip: '10.0.0.1', accountId: a.id, deviceId: i % 2 ? phone : d.id, route: routes[i % 5]!, status: 200 });
      }
      await store.appendAccessLog({ time: T0, ip: '10.0.0.2', accountId: null, deviceId: null, route: 'GET /account', status: 401 });
      const all = await store.privacy.queryAccessLog(a.id, { offset: 0, limit: 100 });
      expect(all.total).toBe(10);
      expect(all.entries.map((e) => e.time)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((i) => T0 + i));
      const page = await store.privacy.queryAccessLog(a.id, { offset: 3, limit: 2 });
      expect([page.total, page.entries.map((e) => e.time)]).toEqual([10, [T0 + 6, T0 + 5]]);
      const window = await store.privacy.queryAccessLog(a.id, { from: T0 + 2, to: T0 + 4, offset: 0, limit: 100 });
      expect(window.entries.map((e) => e.time)).toEqual([T0 + 4, T0 + 3, T0 + 2]);
      const byDevice = await store.privacy.queryAccessLog(a.id, { deviceId: phone, offset: 0, limit: 100 });
      expect(byDevice.total).toBe(5);
      const account = await store.privacy.queryAccessLog(a.id, { action: 'account', offset: 0, limit: 100 });
      expect(account.entries.map((e) => e.route).sort()).toEqual(['GET /account', 'GET /account', 'GET /account/export', 'GET /account/export']);
      expect(await store.privacy.pruneAccessLog(T0 + 5)).toBe(6);
      expect((await store.privacy.queryAccessLog(a.id, { offset: 0, limit: 100 })).total).toBe(5);
    });

    test('a purge removes every row of the account, keeps the others, and stores the receipt', async () => {
      const store = get();
      const { a, d } = await seeded();
      const { a: b, d: bd } = await seeded();
      for (const [acc, dev] of [[a.id, d.id], [b.id, bd.id]] as [AccountId, DeviceId][]) {
        const c = chunkId();
        await store.putChunk(acc, c, { size: 100, sha256: randomBytes(32), createdAt: T0, corrupt: false });
        expect((await store.commitSnapshot(acc, snapshot(dev, 1), [c])).kind).toBe('ok');
        await store.upsertDevice(acc, device());
        await store.appendAccessLog({ time: T0, ip: '10.0.0.1', accountId: acc, deviceId: dev, route: 'GET /account', status: 200 });
        await store.privacy.appendConsent(acc, await consent(undefined, dev));
        await store.privacy.putEmailChange(acc, { email: `new-${acc}@example.com`, codeHash: randomBytes(32), expiresAt: T0 });
        await store.privacy.appendOutbox({ time: T0, accountId: acc, to: 'x@example.com', subject: 's', body: 'b' });
        await store.privacy.createInquiry(
          { id: randomBytes(16).toString('hex'), accountId: acc, category: 'other', status: 'open', createdAt: T0, updatedAt: T0, messages: [{ author: 'user', body: 'hi', time: T0 }] },
          [{ name: 'f', type: 'text/plain', bytes: randomBytes(10) }],
        );
        await store.privacy.putExternalLink(acc, { serviceId: 'partner', data: '{}', createdAt: T0 });
      }
      await store.hitRateLimit(`signin-email:${a.email}`, 60_000, T0);
      await store.hitRateLimit(`email-confirm:${a.id}`, 60_000, T0);
      await store.hitRateLimit(`signin-email:${b.email}`, 60_000, T0);

      const receipt = { id: 'ef'.repeat(16), signed: '{"x":1}', signature: randomBytes(64), createdAt: T0 + 9 };
      let seen: Record<string, number> | undefined;
      const counts = await store.privacy.purgeAccount(a.id, (c) => ((seen = c), receipt));
      expect(counts).toEqual(seen);
      expect(counts).toMatchObject({ accounts: 1, devices: 2, chunks: 1, chunkBytes: 100, snapshots: 1, consents: 1, inquiries: 1, externalLinks: 1, rateLimits: 2 });
      expect(await store.getAccount(a.id)).toBeUndefined();
      expect(await store.getAccountByEmail(a.email)).toBeUndefined();
      expect(await store.listDevices(a.id)).toEqual([]);
      expect(await store.privacy.listChunkInfo(a.id)).toEqual([]);
      expect(await store.usageBytes(a.id)).toBe(0);
      expect(await store.listSnapshots(a.id, {})).toEqual([]);
      expect((await store.privacy.queryAccessLog(a.id, { offset: 0, limit: 10 })).total).toBe(0);
      expect(await store.privacy.listConsents(a.id)).toEqual([]);
      expect(await store.privacy.listInquiries(a.id)).toEqual([]);
      expect((await store.privacy.listOutbox(10)).map((m) => m.accountId)).toEqual([b.id]);
      expect(await store.hitRateLimit(`signin-email:${a.email}`, 60_000, T0)).toBe(1);
      expect(await store.hitRateLimit(`signin-email:${b.email}`, 60_000, T0)).toBe(2);
      const stored = await store.privacy.getDeletionReceipt(receipt.id);
      expect(stored).toMatchObject({ id: receipt.id, signed: receipt.signed, createdAt: T0 + 9 });
      expect(hex(stored?.signature)).toBe(hex(receipt.signature));
      expect(await store.privacy.purgeAccount(a.id, () => receipt)).toBeUndefined();

      expect(await store.getAccount(b.id)).toBeDefined();
      expect(await store.privacy.listChunkInfo(b.id)).toHaveLength(1);
      expect(await store.privacy.listConsents(b.id)).toHaveLength(1);
      expect(await store.privacy.listInquiries(b.id)).toHaveLength(1);
      expect(await store.integrityCheck()).toBe('ok');
    });
  });
}
