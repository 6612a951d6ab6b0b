/**
 * The storage contract against a real PostgreSQL: this file runs in a database of its own, made
 * for the run and dropped after it, and each test in a schema of its own within it (the contract
 * expects an empty store per test: GC candidates and rate-limit counters are global).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newDeviceId } from '../../../src/core/ids.ts';
import { PostgresMetaStore } from '../../../server/storage/postgres-meta.ts';
import { MIGRATIONS } from '../../../server/storage/postgres-schema.ts';
import { createTestDatabase, SKIP_REASON, TEST_DATABASE_URL, type TestDatabase } from '../postgres-db.ts';
import { account, metaStoreContract } from './contract.ts';

if (!TEST_DATABASE_URL) {
  describe.skip(SKIP_REASON, () => {
    test('MetaStore contract: postgres', () => undefined);
  });
} else {
  let db: TestDatabase;
  let admin: pg.Pool;
  beforeAll(async () => {
    db = await createTestDatabase();
    admin = new pg.Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await admin?.end();
    await db?.drop();
  });

  /** A fresh schema; the store's connections put it first on their search_path. */
  async function freshSchema(): Promise<{ config: pg.PoolConfig; drop: () => Promise<void> }> {
    const schema = `s_${randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE SCHEMA ${schema}`);
    return {
      config: { connectionString: db.url, options: `-c search_path=${schema}` },
      drop: async () => {
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      },
    };
  }

  metaStoreContract('postgres', async () => {
    const { config, drop } = await freshSchema();
    return { store: new PostgresMetaStore(config), cleanup: drop };
  });

  describe('PostgreSQL store, beyond the contract', () => {
    test('migrations run once, are recorded, and keep data across reopening', async () => {
      const { config, drop } = await freshSchema();
      const [first, second] = await Promise.all([PostgresMetaStore.open(config), PostgresMetaStore.open(config)]);
      const a = account();
      const deviceId = newDeviceId();
      const device = { id: deviceId, name: 'x', model: '', createdAt: 0, lastSeenAt: 0 };
      await first.createAccount(a, device, { tokenHash: randomBytes(32), accountId: a.id, deviceId, createdAt: 0, expiresAt: 1 });
      await Promise.all([first.close(), second.close()]);
      const third = await PostgresMetaStore.open(config);
      expect((await third.getAccountByEmail(a.email))?.id).toBe(a.id);
      expect(await third.integrityCheck()).toBe('ok');
      await third.close();
      const schema = (config.options as string).split('=')[1];
      const { rows } = await admin.query(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`);
      expect(rows.map((r: { version: number }) => r.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
      await drop();
    });

    test('concurrent commits of one device counter: exactly one wins', async () => {
      const { config, drop } = await freshSchema();
      const stores = await Promise.all([PostgresMetaStore.open(config), PostgresMetaStore.open(config)]);
      const a = account();
      const deviceId = newDeviceId();
      const device = { id: deviceId, name: 'x', model: '', createdAt: 0, lastSeenAt: 0 };
      await stores[0].createAccount(a, device, { tokenHash: randomBytes(32), accountId: a.id, deviceId, createdAt: 0, expiresAt: 1 });
      const snap = (i: number) => ({ id: `snap-${i}-${randomBytes(4).toString('hex')}` as never, kind: 'files' as const, deviceId, counter: 7, createdAt: i, sealed: randomBytes(10) });
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => stores[i % 2]!.commitSnapshot(a.id, snap(i), [])));
      expect(results.filter((r) => r.kind === 'ok')).toHaveLength(1);
      expect(results.filter((r) => r.kind === 'stale-counter')).toHaveLength(7);
      expect(await stores[1].usageBytes(a.id)).toBe(10);
      await Promise.all(stores.map((s) => s.close()));
      await drop();
    });

    test('a chunk lock taken by one instance holds back another instance on the same database', async () => {
      const { config, drop } = await freshSchema();
      const [first, second] = await Promise.all([PostgresMetaStore.open(config), PostgresMetaStore.open(config)]);
      const accountId = account().id;
      const chunk = randomBytes(32).toString('hex') as never;
      let release!: () => void;
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      const events: string[] = [];
      const held = first.withChunkLock(accountId, chunk, async () => {
        entered();
        await new Promise<void>((resolve) => (release = resolve));
        events.push('first done');
      });
      await inside;
      const waiting = second.withChunkLock(accountId, chunk, async () => void events.push('second ran'));
      // The second instance's other chunks are not held up meanwhile.
      await second.withChunkLock(accountId, randomBytes(32).toString('hex') as never, async () => void events.push('other chunk'));
      expect(events).toEqual(['other chunk']);
      release();
      await Promise.all([held, waiting]);
      expect(events).toEqual(['other chunk', 'first done', 'second ran']);
      await Promise.all([first.close(), second.close()]);
      await drop();
    });

    test('garbage collection started on two instances at once runs on one', async () => {
      const { config, drop } = await freshSchema();
      const stores = await Promise.all([PostgresMetaStore.open(config), PostgresMetaStore.open(config)]);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const runs: number[] = [];
      const started = stores.map((store, i) =>
        store.runAlone('gc', async () => {
          runs.push(i);
          await gate;
          return i;
        }),
      );
      // The instance that lost the race is skipped at once, while the other holds the gate.
      expect(await Promise.race(started)).toBeUndefined();
      await expect.poll(() => runs.length).toBe(1);
      release();
      const results = await Promise.all(started);
      expect(runs).toHaveLength(1);
      expect(results.filter((r) => r === undefined)).toHaveLength(1);
      await Promise.all(stores.map((s) => s.close()));
      await drop();
    });

    test('concurrent registrations of one email: one account, the rest email-taken', async () => {
      const { config, drop } = await freshSchema();
      const stores = await Promise.all([PostgresMetaStore.open(config), PostgresMetaStore.open(config)]);
      const email = `race-${randomBytes(4).toString('hex')}@example.com`;
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => {
          const a = account({ email });
          const deviceId = newDeviceId();
          const device = { id: deviceId, name: 'x', model: '', createdAt: 0, lastSeenAt: 0 };
          return stores[i % 2]!.createAccount(a, device, { tokenHash: randomBytes(32), accountId: a.id, deviceId, createdAt: 0, expiresAt: 1 });
        }),
      );
      expect(results.filter((r) => r === 'ok')).toHaveLength(1);
      expect(results.filter((r) => r === 'email-taken')).toHaveLength(5);
      await Promise.all(stores.map((s) => s.close()));
      await drop();
    });

    test('a bad URL fails at open, not at the first request', async () => {
      const missing = new URL(db.url);
      missing.pathname += '_does_not_exist';
      await expect(PostgresMetaStore.open(missing.toString())).rejects.toThrow(/does not exist/);
    });
  });
}
