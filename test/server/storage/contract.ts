/**
 * The storage contract: one suite, run against every MetaStore and ObjectStore implementation
 * (STYLE.md 2). A backend is correct when it passes this, whatever it is built on.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { newAccountId, newDeviceId, newSnapshotId, type AccountId, type ChunkId, type DeviceId } from '../../../src/core/ids.ts';
import type { AccountRecord, DeviceRecord, MetaStore, ObjectStore, SessionRecord, SnapshotRecord } from '../../../server/storage/ports.ts';

import { privacyContract } from './contract-privacy.ts';

export const T0 = Date.UTC(2026, 10, 1);
export const chunkId = (): ChunkId => randomBytes(32).toString('hex') as ChunkId;

export function account(overrides: Partial<AccountRecord> = {}): AccountRecord {
  return {
    id: newAccountId(),
    email: `u${randomBytes(4).toString('hex')}@example.com`,
    kdf: { alg: 'argon2id', m: 262144, t: 3, p: 1, salt: randomBytes(16) },
    authVerifier: { salt: randomBytes(16), hash: randomBytes(32) },
    recoveryVerifier: { salt: randomBytes(16), hash: randomBytes(32) },
    wrappedMasterKey: randomBytes(61),
    wrappedRecoveryKey: randomBytes(61),
    status: 'active',
    quotaBytes: 1 << 30,
    createdAt: T0,
    ...overrides,
  };
}

export const device = (overrides: Partial<DeviceRecord> = {}): DeviceRecord => ({
  id: newDeviceId(),
  name: 'Laptop',
  model: 'Chromebook',
  createdAt: T0,
  lastSeenAt: T0,
  ...overrides,
});

export const session = (accountId: AccountId, deviceId: DeviceId, expiresAt = T0 + 1000): SessionRecord => ({
  tokenHash: randomBytes(32),
  accountId,
  deviceId,
  createdAt: T0,
  expiresAt,
});

export const snapshot = (deviceId: DeviceId, counter: number, overrides: Partial<SnapshotRecord> = {}): SnapshotRecord => ({
  id: newSnapshotId(),
  kind: 'files',
  deviceId,
  counter,
  createdAt: T0 + counter,
  sealed: randomBytes(100),
  ...overrides,
});

const bytesOf = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : undefined);

type Opened<T> = { store: T; cleanup?: () => void | Promise<void> };

/** `open` may be async (a networked store may need a database or schema made first). */
export function metaStoreContract(name: string, open: () => Opened<MetaStore> | Promise<Opened<MetaStore>>): void {
  describe(`MetaStore contract: ${name}`, () => {
    let store: MetaStore;
    let cleanup: (() => void | Promise<void>) | undefined;
    beforeEach(async () => {
      ({ store, cleanup } = await open());
    });
    afterEach(async () => {
      await store.close();
      await cleanup?.();
    });

    /** An account with one device and one session, as registration makes it. */
    async function seeded() {
      const a = account();
      const d = device();
      const s = session(a.id, d.id);
      expect(await store.createAccount(a, d, s)).toBe('ok');
      return { a, d, s };
    }

    describe('accounts', () => {
      test('round-trip every field, by id and by email', async () => {
        const { a } = await seeded();
        for (const found of [await store.getAccount(a.id), await store.getAccountByEmail(a.email)]) {
          expect(found).toMatchObject({ id: a.id, email: a.email, status: 'active', quotaBytes: a.quotaBytes, createdAt: T0 });
          expect(found!.kdf).toMatchObject({ alg: 'argon2id', m: 262144, t: 3, p: 1 });
          expect(bytesOf(found!.kdf.salt)).toBe(bytesOf(a.kdf.salt));
          expect(bytesOf(found!.authVerifier.hash)).toBe(bytesOf(a.authVerifier.hash));
          expect(bytesOf(found!.recoveryVerifier.salt)).toBe(bytesOf(a.recoveryVerifier.salt));
          expect(bytesOf(found!.wrappedMasterKey)).toBe(bytesOf(a.wrappedMasterKey));
          expect(bytesOf(found!.wrappedRecoveryKey)).toBe(bytesOf(a.wrappedRecoveryKey));
        }
        expect(await store.getAccount(newAccountId())).toBeUndefined();
        expect(await store.getAccountByEmail('nobody@example.com')).toBeUndefined();
      });

      test('refuse a taken id or email, and create nothing then', async () => {
        const { a } = await seeded();
        const sameId = account({ id: a.id });
        expect(await store.createAccount(sameId, device(), session(a.id, newDeviceId()))).toBe('account-exists');
        const sameEmail = account({ email: a.email });
        expect(await store.createAccount(sameEmail, device(), session(sameEmail.id, newDeviceId()))).toBe('email-taken');
        expect(await store.getAccount(sameEmail.id)).toBeUndefined();
      });

      test('change email unless another account has it', async () => {
        const { a } = await seeded();
        const { a: b } = await seeded();
        expect(await store.updateEmail(a.id, b.email)).toBe('email-taken');
        expect(await store.updateEmail(a.id, 'new@example.com')).toBe('ok');
        expect((await store.getAccountByEmail('new@example.com'))?.id).toBe(a.id);
        expect(await store.getAccountByEmail(a.email)).toBeUndefined();
        expect(await store.updateEmail(newAccountId(), 'x@example.com')).toBe('not-found');
      });
    });

    describe('devices and sessions', () => {
      test('a device signing in again is refreshed, not duplicated', async () => {
        const { a, d } = await seeded();
        await store.upsertDevice(a.id, { ...d, name: 'Renamed', model: 'Pixelbook', createdAt: T0 + 50, lastSeenAt: T0 + 50 });
        const second = device({ createdAt: T0 + 10 });
        await store.upsertDevice(a.id, second);
        const list = await store.listDevices(a.id);
        expect(list.map((x) => x.id)).toEqual([d.id, second.id]);
        expect(list[0]).toMatchObject({ name: 'Renamed', model: 'Pixelbook', createdAt: T0, lastSeenAt: T0 + 50 });
      });

      test('rename and touch only the account’s own devices', async () => {
        const { a, d } = await seeded();
        const { a: b } = await seeded();
        expect(await store.renameDevice(b.id, d.id, 'Mine now')).toBe(false);
        expect(await store.renameDevice(a.id, d.id, 'Desk')).toBe(true);
        await store.touchDevice(a.id, d.id, T0 + 99);
        expect((await store.listDevices(a.id))[0]).toMatchObject({ name: 'Desk', lastSeenAt: T0 + 99 });
        expect(await store.listDevices(b.id)).toHaveLength(1);
      });

      test('revoking a device ends its sessions at once, and only its', async () => {
        const { a, d, s } = await seeded();
        const other = device();
        await store.upsertDevice(a.id, other);
        const otherSession = session(a.id, other.id);
        await store.createSession(otherSession);
        const { a: b, d: bDevice } = await seeded();
        expect(await store.revokeDevice(b.id, d.id)).toBe(false);
        expect(await store.revokeDevice(a.id, d.id)).toBe(true);
        expect(await store.getSession(s.tokenHash)).toBeUndefined();
        expect(await store.getSession(otherSession.tokenHash)).toMatchObject({ deviceId: other.id });
        expect((await store.listDevices(a.id)).map((x) => x.id)).toEqual([other.id]);
        expect((await store.listDevices(b.id)).map((x) => x.id)).toEqual([bDevice.id]);
        expect(await store.revokeDevice(a.id, d.id)).toBe(false);
      });

      test('sessions are found by token hash, deleted, and expire', async () => {
        const { a, d, s } = await seeded();
        expect(await store.getSession(s.tokenHash)).toMatchObject({ accountId: a.id, deviceId: d.id, expiresAt: s.expiresAt });
        const late = session(a.id, d.id, T0 + 5000);
        await store.createSession(late);
        expect(await store.deleteExpiredSessions(T0 + 1000)).toBe(1);
        expect(await store.getSession(s.tokenHash)).toBeUndefined();
        expect(await store.getSession(late.tokenHash)).toBeDefined();
        await store.deleteSession(late.tokenHash);
        expect(await store.getSession(late.tokenHash)).toBeUndefined();
      });
    });

    describe('chunks and snapshots', () => {
      test('chunks are per account; missing keeps order and lists corrupt ones', async () => {
        const { a } = await seeded();
        const { a: b } = await seeded();
        const [x, y, z] = [chunkId(), chunkId(), chunkId()];
        await store.putChunk(a.id, x, { size: 10, sha256: randomBytes(32), createdAt: T0, corrupt: false });
        await store.putChunk(a.id, y, { size: 20, sha256: randomBytes(32), createdAt: T0, corrupt: false });
        expect(await store.missingChunks(a.id, [z, y, x])).toEqual([z]);
        expect(await store.missingChunks(b.id, [x, y])).toEqual([x, y]);
        expect(await store.getChunk(b.id, x)).toBeUndefined();
        await store.markCorrupt(a.id, y);
        expect(await store.getChunk(a.id, y)).toMatchObject({ size: 20, corrupt: true });
        expect(await store.missingChunks(a.id, [x, y])).toEqual([y]);
        await store.putChunk(a.id, y, { size: 20, sha256: randomBytes(32), createdAt: T0 + 1, corrupt: false });
        expect(await store.missingChunks(a.id, [x, y])).toEqual([]);
      });

      test('missing answers a 10,000-id query', async () => {
        const { a } = await seeded();
        const ids = Array.from({ length: 10_000 }, chunkId);
        for (const id of ids.slice(0, 100)) await store.putChunk(a.id, id, { size: 1, sha256: randomBytes(32), createdAt: T0, corrupt: false });
        expect(await store.missingChunks(a.id, ids)).toEqual(ids.slice(100));
      });

      test('a commit refuses absent refs, known ids and stale counters, atomically', async () => {
        const { a, d } = await seeded();
        const [x, y] = [chunkId(), chunkId()];
        await store.putChunk(a.id, x, { size: 1000, sha256: randomBytes(32), createdAt: T0, corrupt: false });
        const first = snapshot(d.id, 5);
        expect(await store.commitSnapshot(a.id, first, [x, y, y])).toEqual({ kind: 'missing', missing: [y] });
        expect(await store.getSnapshot(a.id, first.id)).toBeUndefined();
        await store.putChunk(a.id, y, { size: 500, sha256: randomBytes(32), createdAt: T0, corrupt: false });
        expect(await store.commitSnapshot(a.id, first, [x, y, x])).toEqual({ kind: 'ok' });
        expect(await store.commitSnapshot(a.id, first, [x])).toEqual({ kind: 'exists' });
        expect(await store.commitSnapshot(a.id, snapshot(d.id, 5), [x])).toEqual({ kind: 'stale-counter' });
        expect(await store.commitSnapshot(a.id, snapshot(d.id, 4), [x])).toEqual({ kind: 'stale-counter' });
        expect(await store.commitSnapshot(a.id, snapshot(newDeviceId(), 1), [x])).toEqual({ kind: 'ok' });
        const got = await store.getSnapshot(a.id, first.id);
        expect(got).toMatchObject({ id: first.id, kind: 'files', deviceId: d.id, counter: 5, bytes: 100 + 1000 + 500, chunkCount: 2 });
        expect(bytesOf(got!.sealed)).toBe(bytesOf(first.sealed));
        expect(await store.usageBytes(a.id)).toBe(1500 + 100 + 100);
      });

      test('usage follows every write: uploads, re-uploads, commits, deletions and collection', async () => {
        const { a, d } = await seeded();
        const [x, y] = [chunkId(), chunkId()];
        const usage = () => store.usageBytes(a.id);
        expect(await usage()).toBe(0);
        await store.putChunk(a.id, x, { size: 1000, sha256: randomBytes(32), createdAt: T0, corrupt: false });
        await store.putChunk(a.id, y, { size: 300, sha256: randomBytes(32), createdAt: T0, corrupt: false });
        await store.markCorrupt(a.id, y);
        await store.putChunk(a.id, y, { size: 400, sha256: randomBytes(32), createdAt: T0, corrupt: false });
        expect(await usage()).toBe(1400);
        const s = snapshot(d.id, 1);
        await store.commitSnapshot(a.id, s, [x]);
        expect(await usage()).toBe(1500);
        await store.deleteSnapshot(a.id, s.id, T0 + 10);
        expect(await usage()).toBe(1400);
        expect(await store.deleteIfUnreferenced(a.id, x, T0 + 11)).toBe(true);
        expect(await usage()).toBe(400);
        expect(await store.usageBytes(newAccountId())).toBe(0);
      });

      test('a corrupt chunk cannot be committed', async () => {
        const { a, d } = await seeded();
        const x = chunkId();
        await store.putChunk(a.id, x, { size: 1, sha256: randomBytes(32), createdAt: T0, corrupt: false });
        await store.markCorrupt(a.id, x);
        expect(await store.commitSnapshot(a.id, snapshot(d.id, 1), [x])).toEqual({ kind: 'missing', missing: [x] });
      });

      test('lists filter by kind and device, in time order, and stay within the account', async () => {
        const { a, d } = await seeded();
        const { a: b } = await seeded();
        const other = newDeviceId();
        const s1 = snapshot(d.id, 1);
        const s2 = snapshot(d.id, 2, { kind: 'records' });
        const s3 = snapshot(other, 1, { createdAt: T0 + 10 });
        for (const s of [s3, s1, s2]) expect(await store.commitSnapshot(a.id, s, [])).toEqual({ kind: 'ok' });
        expect((await store.listSnapshots(a.id, {})).map((s) => s.id)).toEqual([s1.id, s2.id, s3.id]);
        expect((await store.listSnapshots(a.id, { kind: 'records' })).map((s) => s.id)).toEqual([s2.id]);
        expect((await store.listSnapshots(a.id, { deviceId: d.id, kind: 'files' })).map((s) => s.id)).toEqual([s1.id]);
        expect(await store.listSnapshots(b.id, {})).toEqual([]);
        expect(await store.getSnapshot(b.id, s1.id)).toBeUndefined();
        expect(await store.deleteSnapshot(b.id, s1.id, T0)).toBe(false);
        expect(await store.deleteSnapshot(a.id, s1.id, T0)).toBe(true);
        expect(await store.deleteSnapshot(a.id, s1.id, T0)).toBe(false);
      });
    });

    describe('garbage collection', () => {
      test('a chunk lock holds back other work on that chunk only', async () => {
        const a = newAccountId();
        const [one, other] = [chunkId(), chunkId()];
        const order: string[] = [];
        let release!: () => void;
        let entered!: () => void;
        const inside = new Promise<void>((resolve) => (entered = resolve));
        const held = store.withChunkLock(a, one, async () => {
          entered();
          await new Promise<void>((resolve) => (release = resolve));
          order.push('first');
        });
        await inside;
        const waiting = store.withChunkLock(a, one, async () => void order.push('second'));
        // Another chunk is not held up: this finishes while the first still holds its lock.
        await store.withChunkLock(a, other, async () => void order.push('other'));
        expect(order).toEqual(['other']);
        release();
        await Promise.all([held, waiting]);
        expect(order).toEqual(['other', 'first', 'second']);
        // A task that throws releases the lock.
        await expect(store.withChunkLock(a, one, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
        expect(await store.withChunkLock(a, one, async () => 'free')).toBe('free');
      });

      test('a job runs alone: a second start while it runs is skipped, and it runs again after', async () => {
        let release!: () => void;
        let entered!: () => void;
        const inside = new Promise<void>((resolve) => (entered = resolve));
        const first = store.runAlone('gc', async () => {
          entered();
          await new Promise<void>((resolve) => (release = resolve));
          return 'first';
        });
        await inside;
        expect(await store.runAlone('gc', async () => 'second')).toBeUndefined();
        expect(await store.runAlone('other job', async () => 'other')).toBe('other');
        release();
        expect(await first).toBe('first');
        expect(await store.runAlone('gc', async () => 'again')).toBe('again');
      });

      test('only unreferenced chunks older than the cut-off are candidates, and deletion re-checks', async () => {
        const { a, d } = await seeded();
        const [kept, orphan, young] = [chunkId(), chunkId(), chunkId()];
        await store.putChunk(a.id, kept, { size: 1, sha256: randomBytes(32), createdAt: T0, corrupt: false });
        await store.putChunk(a.id, orphan, { size: 2, sha256: randomBytes(32), createdAt: T0, corrupt: false });
        await store.putChunk(a.id, young, { size: 3, sha256: randomBytes(32), createdAt: T0 + 500, corrupt: false });
        const s = snapshot(d.id, 1);
        await store.commitSnapshot(a.id, s, [kept]);
        expect(await store.gcCandidates(T0 + 100, 100)).toEqual([{ accountId: a.id, id: orphan, size: 2 }]);

        // Deleting the snapshot releases `kept` as of now: not a candidate until the cut-off passes it.
        await store.deleteSnapshot(a.id, s.id, T0 + 1000);
        expect((await store.gcCandidates(T0 + 1000, 100)).map((c) => c.id).sort()).toEqual([orphan, young].sort());
        expect((await store.gcCandidates(T0 + 1001, 100)).map((c) => c.id).sort()).toEqual([kept, orphan, young].sort());

        // A commit that arrives before the deletion makes the chunk ineligible again.
        await store.commitSnapshot(a.id, snapshot(d.id, 2), [orphan]);
        expect(await store.deleteIfUnreferenced(a.id, orphan, T0 + 2000)).toBe(false);
        expect(await store.deleteIfUnreferenced(a.id, young, T0 + 400)).toBe(false);
        expect(await store.deleteIfUnreferenced(a.id, young, T0 + 2000)).toBe(true);
        expect(await store.getChunk(a.id, young)).toBeUndefined();
        expect(await store.gcCandidates(T0 + 1001, 1)).toHaveLength(1);
      });

      test('the same chunk id in two accounts is two chunks', async () => {
        const { a, d } = await seeded();
        const { a: b } = await seeded();
        const x = chunkId();
        await store.putChunk(a.id, x, { size: 1, sha256: randomBytes(32), createdAt: T0, corrupt: false });
        await store.putChunk(b.id, x, { size: 1, sha256: randomBytes(32), createdAt: T0, corrupt: false });
        await store.commitSnapshot(a.id, snapshot(d.id, 1), [x]);
        expect(await store.gcCandidates(T0 + 1, 100)).toEqual([{ accountId: b.id, id: x, size: 1 }]);
      });
    });

    describe('access log and rate limits', () => {
      test('the access log lists an account’s own rows, newest first', async () => {
        const { a, d } = await seeded();
        const { a: b } = await seeded();
        for (let i = 0; i < 5; i++) {
          await store.appendAccessLog({ time: T0 + i, ip: '127.0.0.1', accountId: a.id, deviceId: d.id, route: 'PUT /chunks/:id', status: 201 });
        }
        await store.appendAccessLog({ time: T0, ip: '10.0.0.1', accountId: null, deviceId: null, route: 'POST /sessions', status: 401 });
        await store.appendAccessLog({ time: T0, ip: '10.0.0.2', accountId: b.id, deviceId: null, route: 'GET /account', status: 200 });
        const rows = await store.listAccessLog(a.id, 3);
        expect(rows.map((r) => r.time)).toEqual([T0 + 4, T0 + 3, T0 + 2]);
        expect(rows[0]).toEqual({ time: T0 + 4, ip: '127.0.0.1', accountId: a.id, deviceId: d.id, route: 'PUT /chunks/:id', status: 201 });
        expect((await store.listAccessLog(b.id, 10)).map((r) => r.ip)).toEqual(['10.0.0.2']);
      });

      test('rate-limit counters count within a window and start again in the next', async () => {
        expect(await store.hitRateLimit('k', 1000, T0)).toBe(1);
        expect(await store.hitRateLimit('k', 1000, T0 + 999)).toBe(2);
        expect(await store.hitRateLimit('other', 1000, T0)).toBe(1);
        expect(await store.hitRateLimit('k', 1000, T0 + 1000)).toBe(1);
        expect(await store.pruneRateLimits(T0 + 5000)).toBe(2);
        expect(await store.hitRateLimit('k', 1000, T0 + 1500)).toBe(1);
      });

      test('the integrity check passes', async () => {
        await seeded();
        expect(await store.integrityCheck()).toBe('ok');
      });
    });

    privacyContract(() => store, seeded);
  });
}

export function objectStoreContract(name: string, open: () => { store: ObjectStore; cleanup?: () => void }): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let store: ObjectStore;
    let cleanup: (() => void) | undefined;
    beforeEach(() => {
      ({ store, cleanup } = open());
    });
    afterEach(() => cleanup?.());

    test('put, get, replace and delete, per account', async () => {
      const [a, b] = [newAccountId(), newAccountId()];
      const id = chunkId();
      const bytes = randomBytes(70_000);
      await store.put(a, id, bytes);
      expect(bytesOf(await store.get(a, id))).toBe(bytesOf(bytes));
      expect(await store.get(b, id)).toBeUndefined();
      const replacement = randomBytes(10);
      await store.put(a, id, replacement);
      expect(bytesOf(await store.get(a, id))).toBe(bytesOf(replacement));
      await store.delete(a, id);
      expect(await store.get(a, id)).toBeUndefined();
      await expect(store.delete(a, id)).resolves.toBeUndefined();
    });

    test('deleting an account removes all its objects and only its', async () => {
      const [a, b] = [newAccountId(), newAccountId()];
      const ids = [chunkId(), chunkId(), chunkId()];
      for (const id of ids) await store.put(a, id, randomBytes(100));
      await store.put(b, ids[0]!, randomBytes(100));
      expect(await store.deleteAccount(a)).toBe(3);
      for (const id of ids) expect(await store.get(a, id)).toBeUndefined();
      expect(await store.get(b, ids[0]!)).toBeDefined();
      expect(await store.deleteAccount(a)).toBe(0);
    });

    test('stored bytes are not aliased with the caller’s buffers', async () => {
      const a = newAccountId();
      const id = chunkId();
      const bytes = new Uint8Array(16).fill(1);
      await store.put(a, id, bytes);
      bytes.fill(2);
      const got = await store.get(a, id);
      got!.fill(3);
      expect(bytesOf(await store.get(a, id))).toBe('01'.repeat(16));
    });

    test('concurrent puts of one object leave one whole object', async () => {
      const a = newAccountId();
      const id = chunkId();
      const bytes = randomBytes(200_000);
      await Promise.all(Array.from({ length: 10 }, () => store.put(a, id, bytes)));
      expect(bytesOf(await store.get(a, id))).toBe(bytesOf(bytes));
      expect(await store.sweep()).toBe(0);
    });
  });
}
