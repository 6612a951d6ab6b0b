/**
 * Account deletion end to end on the embedded store: re-authenticated request, keys shredded and
 * sessions ended at once, the undo with the recovery key, the retention clock, and a purge that
 * leaves no row anywhere in the database and no file or byte in the data directory naming the
 * account, its email or its chunks (a generic scan of every table and every file), then a
 * deletion receipt that verifies with the server's public key.
 */
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fromBase64Url } from '../../../src/core/bytes.ts';
import { newDeviceId } from '../../../src/core/ids.ts';
import { purgeDeletedAccounts } from '../../../server/privacy/purge.ts';
import { FsObjectStore } from '../../../server/storage/fs-objects.ts';
import { ACCOUNT_TABLES } from '../../../server/storage/privacy-rows.ts';
import { SqliteMetaStore } from '../../../server/storage/sqlite-meta.ts';
import { accountFor, b64, randomChunkId, register, registration, request, snapshotBody, startServer, type Account, type TestServer } from '../harness.ts';
import { consent, errorOf, privacyConfig } from './helpers.ts';

const DAY = 86_400_000;

/** Every value of every row of every table that contains one of the needles, as "table: value". */
function scanDatabase(path: string, needles: readonly string[]): string[] {
  const db = new Database(path, { readonly: true });
  const found: string[] = [];
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[];
  for (const { name } of tables) {
    for (const row of db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]) {
      for (const value of Object.values(row)) {
        const text = value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : String(value);
        for (const n of needles) if (text.includes(n)) found.push(`${name}: ${n}`);
      }
    }
  }
  db.close();
  return found;
}

/** Every path and every file's bytes under `dir` that contain one of the needles. */
function scanFiles(dir: string, needles: readonly string[]): string[] {
  const found: string[] = [];
  for (const rel of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    for (const n of needles) if (rel.includes(n)) found.push(`path ${rel}`);
    const full = join(dir, rel);
    if (!statSync(full).isFile()) continue;
    const bytes = readFileSync(full);
    for (const n of needles) if (bytes.includes(Buffer.from(n))) found.push(`bytes of ${rel}: ${n}`);
  }
  return found;
}

describe('account deletion, undo, purge and receipt', () => {
  let dir: string;
  let server: TestServer;
  let bob: Account;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kura-deletion-'));
    const stores = { meta: new SqliteMetaStore(join(dir, 'kura.sqlite')), objects: new FsObjectStore(dir) };
    const services = JSON.stringify([{ id: 'partner', name: 'Partner', description: '', dataShared: '' }]);
    server = await startServer({ stores, config: privacyConfig({ KURA_DELETION_RETENTION_DAYS: '45', KURA_EXTERNAL_SERVICES: services }) });
    bob = await register(server);
    expect((await bob.putChunk(randomChunkId(), randomBytes(200))).status).toBe(201);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** An account with data in every table: chunks, a snapshot, devices, consents, an inquiry, an email change, a link. */
  async function busyAccount(): Promise<{ account: Account; chunks: string[] }> {
    const account = await register(server);
    const chunks = [randomChunkId(), randomChunkId(), randomChunkId()];
    for (const id of chunks) expect((await account.putChunk(id, randomBytes(1000))).status).toBe(201);
    expect((await account.call('POST', '/snapshots', snapshotBody(account.deviceId, 1, chunks.slice(0, 2)))).status).toBe(201);
    const phone = { id: newDeviceId(), name: 'Phone', model: 'Pixel' };
    expect((await request(server, 'POST', '/sessions', { email: account.reg.email, authKey: account.reg.authKey, device: phone })).status).toBe(201);
    expect((await consent(account, 'service-operation')).status).toBe(201);
    expect((await consent(account, 'usage-statistics')).status).toBe(201);
    const stats = { appVersion: '0.1.0', browserFamily: 'chrome', backupsRun: 1, filesBySize: { under1MiB: 1, to10MiB: 0, to100MiB: 0, to1GiB: 0, over1GiB: 0 }, errors: {} };
    expect((await account.call('POST', '/stats', stats)).status).toBe(204);
    const attachment = { name: 'screenshot.png', type: 'image/png', data: b64(randomBytes(100)) };
    expect((await account.call('POST', '/inquiries', { category: 'privacy', message: 'Please help', attachments: [attachment] })).status).toBe(201);
    expect((await account.call('POST', '/account/email', { email: `next-${account.accountId}@example.com` })).status).toBe(202);
    expect((await consent(account, 'external:partner')).status).toBe(201);
    expect((await account.call('POST', '/external-services/partner/connect')).status).toBe(201);
    return { account, chunks };
  }

  test('the purge knows every table that has an account_id column', () => {
    const db = new Database(join(dir, 'kura.sqlite'), { readonly: true });
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[])
      .map((t) => t.name)
      .filter((name) => (db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[]).some((c) => c.name === 'account_id'));
    db.close();
    expect(tables.sort()).toEqual(ACCOUNT_TABLES.map(([t]) => t).sort());
  });

  const deleteAccount = (account: Account, authKey = account.reg.authKey) => account.call('POST', '/account/delete', { authKey });

  test('deletion needs the passphrase key again and a session', async () => {
    const { account } = await busyAccount();
    // The period the app shows before the user deletes is this server's, not a default.
    expect(((await (await account.call('GET', '/account')).json()) as { deletionRetentionDays: number }).deletionRetentionDays).toBe(45);
    expect(await errorOf(await deleteAccount(account, b64(randomBytes(32))))).toEqual([401, 'bad-credentials']);
    expect(await errorOf(await deleteAccount(account, account.reg.recoveryAuthKey))).toEqual([401, 'bad-credentials']);
    expect((await request(server, 'POST', '/account/delete', { authKey: account.reg.authKey })).status).toBe(401);
    expect((await account.call('GET', '/account')).status).toBe(200);
  });

  test('deletion shreds the passphrase wrap and ends every session at once; the recovery key undoes it', async () => {
    const { account, chunks } = await busyAccount();
    const res = await deleteAccount(account);
    expect(res.status).toBe(202);
    const answer = (await res.json()) as { status: string; deletionDueAt: number; receiptId: string };
    expect(answer).toEqual({ status: 'deleted-pending', deletionDueAt: server.deps.now() + 45 * DAY, receiptId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect((await account.call('GET', '/account')).status).toBe(401);
    const stored = (await server.deps.meta.getAccount(account.accountId as never))!;
    expect(stored.wrappedMasterKey.length).toBe(0);
    const device = { id: newDeviceId(), name: 'New', model: '' };
    for (const key of [{ authKey: account.reg.authKey }, { recoveryAuthKey: account.reg.recoveryAuthKey }]) {
      expect(await errorOf(await request(server, 'POST', '/sessions', { email: account.reg.email, ...key, device }))).toEqual([401, 'bad-credentials']);
    }
    expect((await request(server, 'GET', `/deletion-receipts/${answer.receiptId}`)).status).toBe(404);

    // Undo: prove the recovery key, get its wrap, send MK re-wrapped under a new passphrase.
    const wrongKey = { email: account.reg.email, recoveryAuthKey: b64(randomBytes(32)) };
    expect(await errorOf(await request(server, 'POST', '/account/restore/key', wrongKey))).toEqual([401, 'bad-credentials']);
    const keyRes = await request(server, 'POST', '/account/restore/key', { email: account.reg.email, recoveryAuthKey: account.reg.recoveryAuthKey });
    expect(await keyRes.json()).toEqual({ accountId: account.accountId, wrappedRecoveryKey: account.reg.wrappedRecoveryKey, deletionDueAt: answer.deletionDueAt });
    const fresh = registration();
    const restore = { email: account.reg.email, recoveryAuthKey: account.reg.recoveryAuthKey, kdf: fresh.kdf, authKey: fresh.authKey, wrappedMasterKey: fresh.wrappedMasterKey, device };
    const restored = await request(server, 'POST', '/account/restore', restore);
    expect(restored.status).toBe(201);
    const session = (await restored.json()) as { token: string; wrappedMasterKey: string; kdf: unknown };
    expect(session).toMatchObject({ wrappedMasterKey: fresh.wrappedMasterKey, kdf: fresh.kdf });
    const back = accountFor(server, { ...account.reg, authKey: fresh.authKey }, session.token, account.accountId, device.id);
    expect(await (await back.call('GET', '/account')).json()).toMatchObject({ status: 'active', usageBytes: expect.any(Number) });
    expect(((await (await back.call('GET', '/account')).json()) as { deletionDueAt?: number }).deletionDueAt).toBeUndefined();
    expect((await back.call('GET', `/chunks/${chunks[0]}`)).status).toBe(200);
    expect((await request(server, 'POST', '/account/restore', restore)).status).toBe(401); // nothing pending any more
    expect((await request(server, 'POST', '/sessions', { email: account.reg.email, authKey: fresh.authKey, device })).status).toBe(201);
    expect((await request(server, 'POST', '/sessions', { email: account.reg.email, authKey: account.reg.authKey, device })).status).toBe(401);
  });

  test('the purge waits for the retention period, then leaves nothing of the account, and signs a receipt', async () => {
    const { account, chunks } = await busyAccount();
    const res = await deleteAccount(account);
    const { deletionDueAt, receiptId } = (await res.json()) as { deletionDueAt: number; receiptId: string };
    const needles = [account.accountId, account.reg.email, ...chunks];
    const purge = (now: number) => purgeDeletedAccounts(server.deps, { now, receiptKey: server.deps.receiptKey });

    // Past the period the undo is refused, even before the purge has run.
    server.advance(deletionDueAt - server.deps.now());
    const undo = { email: account.reg.email, recoveryAuthKey: account.reg.recoveryAuthKey };
    expect(await errorOf(await request(server, 'POST', '/account/restore/key', undo))).toEqual([401, 'bad-credentials']);

    // Before the due time: nothing happens, however often it runs.
    expect(await purge(deletionDueAt - 1)).toEqual({ due: 0, purged: [] });
    expect(scanDatabase(join(dir, 'kura.sqlite'), [account.accountId]).length).toBeGreaterThan(10);
    expect(scanFiles(join(dir, 'objects'), chunks)).toHaveLength(3);

    const report = await purge(deletionDueAt);
    expect(report).toEqual({ due: 1, purged: [{ receiptId, objects: 3 }] });
    expect(await purge(deletionDueAt + DAY)).toEqual({ due: 0, purged: [] });
    expect(scanDatabase(join(dir, 'kura.sqlite'), needles)).toEqual([]);
    expect(scanFiles(dir, needles.filter((n) => n !== account.reg.email)).join('\n')).toEqual('');
    // Bob is untouched (read from the store: a month has passed, his session has expired).
    expect((await server.deps.meta.getAccount(bob.accountId as never))?.status).toBe('active');
    expect(await server.deps.meta.usageBytes(bob.accountId as never)).toBe(200);

    // The receipt, fetched without a session, verifies with the published key; a changed byte does not.
    const receiptRes = await request(server, 'GET', `/deletion-receipts/${receiptId}`);
    expect(receiptRes.status).toBe(200);
    const { signed, signature, receipt } = (await receiptRes.json()) as { signed: string; signature: string; receipt: Record<string, unknown> };
    expect(receipt).toMatchObject({
      format: 'kura-deletion-receipt-v1',
      receiptId,
      requestedAt: deletionDueAt - 45 * DAY,
      dueAt: deletionDueAt,
      purgedAt: deletionDueAt,
      counts: { accounts: 1, chunks: 3, objects: 3, snapshots: 1, devices: 2, consents: 3, inquiries: 1, emailChanges: 1, externalLinks: 1 },
    });
    expect(receipt.accountIdHash).toMatch(/^[0-9a-f]{64}$/);
    expect(signed).not.toContain(account.accountId);
    const key = (await (await request(server, 'GET', '/deletion-receipts/key')).json()) as { alg: string; publicKey: string; publicKeyPem: string };
    expect(key.alg).toBe('Ed25519');
    const pub = createPublicKey(key.publicKeyPem);
    const sig = Buffer.from(fromBase64Url(signature)!);
    expect(verify(null, Buffer.from(signed), pub, sig)).toBe(true);
    expect(verify(null, Buffer.from(signed.replace('"accounts":1', '"accounts":0')), pub, sig)).toBe(false);
    const raw = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.publicKey }, format: 'jwk' });
    expect(verify(null, Buffer.from(signed), raw, sig)).toBe(true);
    expect((await request(server, 'GET', `/deletion-receipts/${'0'.repeat(32)}`)).status).toBe(404);
  });

  test('after closing, not a byte of the purged account is left in any file of the data directory', async () => {
    const { account, chunks } = await busyAccount();
    const { deletionDueAt } = (await (await deleteAccount(account)).json()) as { deletionDueAt: number };
    await purgeDeletedAccounts(server.deps, { now: deletionDueAt, receiptKey: server.deps.receiptKey });
    await server.close(); // checkpoints the WAL into the database file
    expect(scanFiles(dir, [account.accountId, account.reg.email, ...chunks]).join('\n')).toEqual('');
  });
});
