/**
 * `npm run kura -- migrate`: an embedded deployment, filled through the real HTTP API (and the
 * browser's sync engine) and still running, moved to a throwaway PostgreSQL database and a prefix
 * of its own in the S3 test bucket; a server on the copy then serves it all. Runs when
 * KURA_TEST_DATABASE_URL and KURA_TEST_S3_ENDPOINT are set (.ci/run sets both); skipped otherwise.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AccountKeys } from '../../src/core/crypto/subkeys.ts';
import type { AccountId, ChunkId, DeviceId } from '../../src/core/ids.ts';
import type { Snapshot } from '../../src/core/manifest/snapshot.ts';
import { migrate, MigrateError, type MigrateReport } from '../../server/migrate/migrate.ts';
import { TABLES } from '../../server/migrate/tables.ts';
import { FsObjectStore } from '../../server/storage/fs-objects.ts';
import { PostgresMetaStore } from '../../server/storage/postgres-meta.ts';
import { S3ObjectStore, type S3ObjectStoreOptions } from '../../server/storage/s3-objects.ts';
import { SqliteMetaStore } from '../../server/storage/sqlite-meta.ts';
import { newAccountKeys, pseudoRandomBytes } from '../core/helpers.ts';
import { accountFor, b64, randomChunkId, register, request, snapshotBody, startServer, type Account, type TestServer } from './harness.ts';
import { consent } from './privacy/helpers.ts';
import { backUp, clientDevice, restore, signIn, type ClientDevice } from './migrate-client.ts';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from './postgres-db.ts';

const env = process.env;
const S3_BASE = env.KURA_TEST_S3_ENDPOINT
  ? {
      endpoint: env.KURA_TEST_S3_ENDPOINT,
      bucket: env.KURA_TEST_S3_BUCKET || 'kura-test',
      region: env.KURA_TEST_S3_REGION || 'us-east-1',
      accessKeyId: env.KURA_TEST_S3_ACCESS_KEY ?? '',
      secretAccessKey: env.KURA_TEST_S3_SECRET_KEY ?? '',
    }
  : undefined;

/** A data dir with an embedded server running on it. */
async function embedded(): Promise<{ dir: string; server: TestServer }> {
  const dir = mkdtempSync(join(tmpdir(), 'kura-migrate-src-'));
  writeFileSync(join(dir, 'server-secret'), randomBytes(32), { mode: 0o600 });
  const server = await startServer({ stores: { meta: new SqliteMetaStore(join(dir, 'kura.sqlite')), objects: new FsObjectStore(dir) } });
  return { dir, server };
}

const ok = (r: MigrateReport) => {
  expect(r.problems).toEqual([]);
  for (const t of r.tables) expect(t.target, t.name).toBe(t.source);
  expect(r.objects.verified).toBe(r.objects.total);
};

if (!TEST_DATABASE_URL || !S3_BASE) {
  describe.skip('migrate: skipped, set KURA_TEST_DATABASE_URL and KURA_TEST_S3_ENDPOINT (.ci/run, eval "$(.ci/ceph-s3)")', () => {
    test('embedded → PostgreSQL + S3', () => undefined);
  });
} else {
  describe('npm run kura -- migrate: embedded → PostgreSQL + S3', () => {
    const s3: S3ObjectStoreOptions = { ...S3_BASE, prefix: `migrate-${randomBytes(6).toString('hex')}` };
    let source: { dir: string; server: TestServer };
    let db: TestDatabase;
    let target: TestServer | undefined;
    const accounts: Account[] = [];
    const chunks: { account: Account; id: ChunkId; body: Uint8Array }[] = [];
    const listings = new Map<string, unknown>();
    let keys: AccountKeys;
    let syncAccount: { email: string; authKey: string };
    let oldSnapshot: Snapshot;
    const oldFile = pseudoRandomBytes(180_000, 41);
    const cleanup: (() => Promise<unknown> | void)[] = [];
    const run = (extra: Partial<Parameters<typeof migrate>[0]> = {}) => migrate({ dataDir: source.dir, databaseUrl: db.url, s3, ...extra });

    beforeAll(async () => {
      source = await embedded();
      db = await createTestDatabase();
      const server = source.server;
      for (let a = 0; a < 3; a++) {
        const account = await register(server);
        accounts.push(account);
        const ids: ChunkId[] = [];
        for (let i = 0; i < 12; i++) {
          const id = randomChunkId();
          const body = randomBytes(1000 + ((a * 12 + i) * 2311) % 40_000);
          expect((await account.putChunk(id, body)).status).toBe(201);
          chunks.push({ account, id, body });
          ids.push(id);
        }
        expect((await account.call('POST', '/snapshots', snapshotBody(account.deviceId, 1, ids.slice(0, 6)))).status).toBe(201);
        expect((await account.call('POST', '/snapshots', snapshotBody(account.deviceId, 2, ids))).status).toBe(201);
        expect((await account.call('PATCH', `/devices/${account.deviceId}`, { name: `Renamed ${a}` })).status).toBe(200);
        // A second device signs in: another device row and session.
        const second = { id: `${account.deviceId.slice(0, -4)}beef`, name: 'Phone', model: 'Pixel' };
        expect((await request(server, 'POST', '/sessions', { email: account.reg.email, authKey: account.reg.authKey, device: second })).status).toBe(201);
        listings.set(account.accountId, await (await account.call('GET', '/snapshots')).json());
      }
      // Rows of schema version 2 (privacy): a ledger, a statistics report, an inquiry with an
      // attachment (bytes), a pending email change and its outbox message (an identity column).
      const first = accounts[0]!;
      for (const purpose of ['service-operation', 'usage-statistics']) expect((await consent(first, purpose)).status).toBe(201);
      const stats = { appVersion: '0.1.0', browserFamily: 'other', backupsRun: 2, filesBySize: { under1MiB: 3, to10MiB: 0, to100MiB: 0, to1GiB: 0, over1GiB: 0 }, errors: {} };
      expect((await first.call('POST', '/stats', stats)).status).toBe(204);
      const attachments = [{ name: 'a.txt', type: 'text/plain', data: b64(randomBytes(64)) }];
      expect((await first.call('POST', '/inquiries', { category: 'other', message: 'hello', attachments })).status).toBe(201);
      expect((await first.call('POST', '/account/email', { email: `moved-${first.accountId}@example.com` })).status).toBe(202);
      // The browser's engine backs up on the embedded server.
      keys = await newAccountKeys();
      const reg = await register(server);
      syncAccount = { email: reg.reg.email, authKey: reg.reg.authKey };
      const device: ClientDevice = clientDevice(server.origin, reg.token, reg.deviceId as DeviceId);
      oldSnapshot = await backUp(device, keys, { 'old.bin': oldFile });
      expect(await device.sync()).toEqual({ kind: 'in-sync' });
    });

    afterAll(async () => {
      for (const c of cleanup) await c();
      await target?.close();
      await source?.server.close();
      const bucket = new S3ObjectStore(s3);
      for (const c of chunks) await bucket.delete(c.account.accountId as AccountId, c.id).catch(() => undefined);
      bucket.destroy();
      await db?.drop();
      if (source) rmSync(source.dir, { recursive: true, force: true });
    });

    test('a migration interrupted after 10 objects, run again, ends complete and verified (source still running)', async () => {
      const interrupted = run({
        onObject: (n) => {
          if (n >= 10) throw new Error('interrupted');
        },
        concurrency: 1,
      });
      await expect(interrupted).rejects.toThrow('interrupted');

      const started = performance.now();
      const report = await run();
      const ms = performance.now() - started;
      ok(report);
      expect(report.objects.alreadyPresent).toBeGreaterThanOrEqual(10);
      expect(report.objects.copied).toBe(report.objects.total - report.objects.alreadyPresent);
      expect(report.objects.total).toBeGreaterThan(chunks.length);
      const names = report.tables.map((t) => t.name);
      expect(names).toEqual([
        ...['accounts', 'devices', 'sessions', 'chunks', 'snapshots', 'snapshot_refs', 'access_log', 'rate_limits'],
        ...['consents', 'email_changes', 'outbox', 'inquiries', 'inquiry_messages', 'inquiry_attachments'],
        ...['external_links', 'stats_markers', 'stats_counters', 'deletion_receipts'],
      ]);
      expect(report.tables.find((t) => t.name === 'accounts')!.source).toBe(4);
      expect(report.tables.find((t) => t.name === 'access_log')!.source).toBeGreaterThan(0);
      console.log(`resumed migration: ${report.objects.total} objects (${report.objects.bytes} bytes), ${report.tables.reduce((n, t) => n + t.source, 0)} rows in ${ms.toFixed(0)} ms`);

      const again = await run();
      ok(again);
      expect(again.objects.copied).toBe(0); // nothing to do: all present and verified
    });

    test('a server on the migrated PostgreSQL and S3 signs the accounts in, lists their snapshots and serves every chunk byte-identical', async () => {
      target = await startServer({ stores: { meta: await PostgresMetaStore.open(db.url), objects: new S3ObjectStore(s3) } });
      for (const old of accounts) {
        // The old session still works; so does signing in again.
        const same = accountFor(target, old.reg, old.token, old.accountId, old.deviceId);
        expect((await same.call('GET', '/account')).status).toBe(200);
        const devices = (await (await same.call('GET', '/devices')).json()) as { devices: { id: string; name: string }[] };
        expect(devices.devices.map((d) => d.name).sort()).toEqual(['Phone', `Renamed ${accounts.indexOf(old)}`].sort());
        const session = await request(target, 'POST', '/sessions', { email: old.reg.email, authKey: old.reg.authKey, device: old.reg.device });
        expect(session.status).toBe(201);
        const fresh = accountFor(target, old.reg, ((await session.json()) as { token: string }).token, old.accountId, old.deviceId);
        expect(await (await fresh.call('GET', '/snapshots')).json()).toEqual(listings.get(old.accountId));
      }
      for (const c of chunks) {
        const res = await accountFor(target, c.account.reg, c.account.token, c.account.accountId, c.account.deviceId).call('GET', `/chunks/${c.id}`);
        expect(res.status).toBe(200);
        expect(Buffer.from(await res.arrayBuffer()).equals(c.body)).toBe(true);
      }
    });

    test("the browser engine's sync works on the migrated server: sign in, back up new data, restore old and new", async () => {
      const device = await signIn(target!.origin, syncAccount.email, syncAccount.authKey);
      const newFile = pseudoRandomBytes(120_000, 42);
      const fresh = await backUp(device, keys, { 'new.bin': newFile, 'old-again.bin': oldFile });
      expect(await device.sync()).toEqual({ kind: 'in-sync' });
      expect((await device.api.snapshots()).map((s) => s.id).sort()).toEqual([oldSnapshot.id, fresh.id].sort());
      expect(Buffer.compare((await restore(device, keys, oldSnapshot))['old.bin']!, oldFile)).toBe(0);
      const restored = await restore(device, keys, fresh);
      expect(Buffer.compare(restored['new.bin']!, newFile)).toBe(0);
      expect(Buffer.compare(restored['old-again.bin']!, oldFile)).toBe(0);
    });

    test('verification catches a tampered object and row counts that differ; a re-run repairs both', async () => {
      // The target now has rows of its own (the sync above): a re-run would remove them, so check a fresh copy.
      const admin = new pg.Pool({ connectionString: db.url, max: 1 });
      cleanup.push(() => admin.end());
      await admin.query(`TRUNCATE ${TABLES.map((t) => t.name).join(', ')}`);
      ok(await run());
      const bucket = new S3ObjectStore(s3);
      cleanup.push(() => bucket.destroy());
      const victim = chunks[5]!;
      await bucket.put(victim.account.accountId as AccountId, victim.id, randomBytes(victim.body.length));
      await admin.query('DELETE FROM snapshot_refs WHERE ctid IN (SELECT ctid FROM snapshot_refs LIMIT 1)');
      await admin.query(`INSERT INTO rate_limits (key, window_index, count, expires_at) VALUES ('extra', 1, 1, 1)`);

      const check = await run({ verifyOnly: true });
      expect(check.problems).toEqual(
        expect.arrayContaining([
          `object ${victim.account.accountId}/${victim.id}: its SHA-256 in S3 differs from the recorded one`,
          expect.stringMatching(/^table snapshot_refs: (\d+) row\(s\) in the source, \d+ in PostgreSQL$/),
          expect.stringMatching(/^table rate_limits: /),
        ]),
      );
      expect(check.problems).toHaveLength(3);

      const repaired = await run();
      ok(repaired);
      expect(repaired.objects.copied).toBe(1);
      expect(repaired.tables.find((t) => t.name === 'rate_limits')!.removed).toBe(1);
      expect(repaired.tables.find((t) => t.name === 'snapshot_refs')!.inserted).toBe(1);
    });

    test('the command killed with SIGKILL while copying objects, run again, reports a complete, verified copy', async () => {
      const fresh = await createTestDatabase();
      cleanup.push(() => fresh.drop());
      const args = ['--import', 'tsx', 'server/cli.ts', 'migrate', '--from', source.dir, '--to', fresh.url];
      const cliEnv = { ...env, KURA_S3_ENDPOINT: s3.endpoint, KURA_S3_BUCKET: s3.bucket, KURA_S3_ACCESS_KEY: s3.accessKeyId, KURA_S3_SECRET_KEY: s3.secretAccessKey, KURA_S3_PREFIX: `${s3.prefix}-kill` };
      const child = spawn(process.execPath, args, { env: cliEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      const killed = await new Promise<string | null>((resolve) => {
        child.stdout.on('data', (d: Buffer) => {
          if (d.toString().includes('copying objects')) setTimeout(() => child.kill('SIGKILL'), 50);
        });
        child.on('exit', (_code, signal) => resolve(signal));
      });
      const second = await promisify(execFile)(process.execPath, args, { env: cliEnv });
      expect(second.stdout).toContain('OK: the target is a complete, verified copy.');
      expect(second.stdout).toContain('export KURA_SERVER_SECRET=$(od -An -tx1 -v');
      console.log(`after ${killed ?? 'no kill (finished first)'}:\n${second.stdout}`);
      const bucket = new S3ObjectStore({ ...s3, prefix: `${s3.prefix}-kill` });
      cleanup.push(async () => {
        for (const c of chunks) await bucket.delete(c.account.accountId as AccountId, c.id).catch(() => undefined);
        bucket.destroy();
      });
    });

    test("refuses another deployment's data, a dir that is not Kura's, and unreachable PostgreSQL or S3, each readably", async () => {
      const other = await embedded();
      cleanup.push(async () => {
        await other.server.close();
        rmSync(other.dir, { recursive: true, force: true });
      });
      await register(other.server);
      await expect(migrate({ dataDir: other.dir, databaseUrl: db.url, s3 })).rejects.toThrow(
        /already holds another deployment's data \(account \w+ there is not in this data dir\)/,
      );
      const notKura = mkdtempSync(join(tmpdir(), 'kura-migrate-not-'));
      mkdirSync(join(notKura, 'photos'));
      cleanup.push(() => rmSync(notKura, { recursive: true, force: true }));
      await expect(migrate({ dataDir: notKura, databaseUrl: db.url, s3 })).rejects.toThrow(/is not a Kura data dir/);
      const unreachablePg = migrate({ dataDir: source.dir, databaseUrl: 'postgres://kura@127.0.0.1:9/kura', s3 });
      await expect(unreachablePg).rejects.toBeInstanceOf(MigrateError);
      await expect(unreachablePg).rejects.toThrow(/^Cannot use PostgreSQL at postgres:\/\/kura@127.0.0.1:9\/kura: /);
      await expect(migrate({ dataDir: source.dir, databaseUrl: db.url, s3: { ...s3, bucket: `absent-${randomBytes(4).toString('hex')}` } })).rejects.toThrow(
        /^Cannot use S3 bucket "absent-\w+" at .*NoSuchBucket/,
      );
      await expect(migrate({ dataDir: source.dir, databaseUrl: db.url, s3: { ...s3, endpoint: 'http://127.0.0.1:9' } })).rejects.toThrow(/^Cannot use S3 bucket/);

      // The command prints one line, no stack trace, and exits 2.
      const cli = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'migrate', '--from', notKura, '--to', db.url], {
        env: { ...env, KURA_S3_ENDPOINT: s3.endpoint, KURA_S3_BUCKET: s3.bucket, KURA_S3_ACCESS_KEY: s3.accessKeyId, KURA_S3_SECRET_KEY: s3.secretAccessKey },
      }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(cli.code).toBe(2);
      expect(cli.stderr.trim()).toMatch(/^kura: .* is not a Kura data dir: it has no kura\.sqlite\.$/);
    });
  });
}
