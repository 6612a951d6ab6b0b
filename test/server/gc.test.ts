/** Garbage collection over the real app: grace period, dry run, snapshot deletion, racing commits. */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { AccountId, ChunkId } from '../../src/core/ids.ts';
import { collectGarbage } from '../../server/gc.ts';
import { BACKENDS, randomChunkId, register, snapshotBody, startServer, type Account, type Backend, type TestServer } from './harness.ts';

const HOUR = 3_600_000;

describe.each<Backend>(BACKENDS)('garbage collection on the %s backend', (backend) => {
  let server: TestServer;
  let user: Account;
  let counter = 0;
  beforeEach(async () => {
    server = await startServer({ backend, config: { gcGraceMs: 24 * HOUR } });
    user = await register(server);
  });
  afterEach(() => server.close());

  const gc = (dryRun: boolean) => collectGarbage(server.deps, { now: server.deps.now(), graceMs: 24 * HOUR, dryRun });
  const upload = async (size = 1000): Promise<ChunkId> => {
    const id = randomChunkId();
    expect((await user.putChunk(id, randomBytes(size))).status).toBe(201);
    return id;
  };
  const commit = async (refs: ChunkId[]) => {
    const body = snapshotBody(user.deviceId, ++counter, refs);
    expect((await user.call('POST', '/snapshots', body)).status).toBe(201);
    return body.id;
  };
  const stored = async (id: ChunkId) => (await server.deps.objects.get(user.accountId as AccountId, id)) !== undefined;

  test('unreferenced chunks go only after the grace period; a dry run reports and deletes nothing', async () => {
    const kept = await upload(100);
    const orphan = await upload(200);
    await commit([kept]);
    server.advance(23 * HOUR);
    expect(await gc(false)).toMatchObject({ candidates: 0, deleted: 0 });

    server.advance(2 * HOUR);
    expect(await gc(true)).toEqual({ dryRun: true, candidates: 1, candidateBytes: 200, deleted: 0, deletedBytes: 0 });
    expect(await stored(orphan)).toBe(true);

    expect(await gc(false)).toEqual({ dryRun: false, candidates: 1, candidateBytes: 200, deleted: 1, deletedBytes: 200 });
    expect(await stored(orphan)).toBe(false);
    expect(await stored(kept)).toBe(true);
    expect(await (await user.call('POST', '/chunks/missing', { ids: [kept, orphan] })).json()).toEqual({ missing: [orphan] });
  });

  test('a suspended account keeps its chunks, and however many it has, they never hold up anyone else\'s collection', async () => {
    const paused = [await upload(), await upload(), await upload()]; // more than one batch of 2
    expect((await user.call('POST', '/account/suspend')).status).toBe(200);
    const other = await register(server);
    const orphan = randomChunkId();
    expect((await other.putChunk(orphan, randomBytes(300))).status).toBe(201);
    server.advance(25 * HOUR);
    expect(await collectGarbage(server.deps, { now: server.deps.now(), graceMs: 24 * HOUR, dryRun: true })).toMatchObject({ candidates: 1, candidateBytes: 300 });
    expect(await collectGarbage(server.deps, { now: server.deps.now(), graceMs: 24 * HOUR, dryRun: false, batch: 2 })).toMatchObject({ deleted: 1, deletedBytes: 300 });
    expect(await server.deps.objects.get(other.accountId as AccountId, orphan)).toBeUndefined();
    for (const id of paused) expect(await stored(id)).toBe(true);
  });

  test('deleting a snapshot releases its chunks, collected a grace period later unless still referenced', async () => {
    const shared = await upload();
    const only = await upload();
    const first = await commit([shared, only]);
    await commit([shared]);
    server.advance(48 * HOUR);
    expect((await user.call('DELETE', `/snapshots/${first}`)).status).toBe(204);
    expect(await gc(false)).toMatchObject({ deleted: 0 });
    server.advance(25 * HOUR);
    expect(await gc(false)).toMatchObject({ deleted: 1 });
    expect([await stored(shared), await stored(only)]).toEqual([true, false]);
  });

  test('a commit racing the collector keeps its chunk', async () => {
    const id = await upload();
    server.advance(25 * HOUR);
    // Hold the chunk's lock, as an upload in progress would, while the collector starts.
    let release!: () => void;
    const held = server.deps.meta.withChunkLock(user.accountId as AccountId, id, () => new Promise<void>((r) => (release = r)));
    const collecting = gc(false);
    await commit([id]); // commits while the collector waits for the lock
    release();
    await held;
    expect(await collecting).toMatchObject({ candidates: 1, deleted: 0 });
    expect(await stored(id)).toBe(true);
  });

  test('a chunk re-uploaded after collection is stored again', async () => {
    const id = randomChunkId();
    const bytes = randomBytes(300);
    await user.putChunk(id, bytes);
    server.advance(25 * HOUR);
    expect(await gc(false)).toMatchObject({ deleted: 1 });
    expect((await user.putChunk(id, bytes)).status).toBe(201);
    expect(Buffer.from(await (await user.call('GET', `/chunks/${id}`)).arrayBuffer()).equals(bytes)).toBe(true);
  });
});
