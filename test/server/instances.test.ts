/**
 * Two server instances on one PostgreSQL database and one object store (S3 when KURA_TEST_S3_* is
 * set, else a shared folder), as behind a load balancer: a client alternating between them sees
 * one consistent account, and garbage collection started on both at once runs on one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collectGarbage } from '../../server/gc.ts';
import { FsObjectStore } from '../../server/storage/fs-objects.ts';
import type { ObjectStore } from '../../server/storage/ports.ts';
import { PostgresMetaStore } from '../../server/storage/postgres-meta.ts';
import { S3ObjectStore } from '../../server/storage/s3-objects.ts';
import { createTestDatabase, SKIP_REASON, TEST_DATABASE_URL, type TestDatabase } from './postgres-db.ts';
import { accountFor, randomChunkId, register, request, snapshotBody, startServer, type TestServer } from './harness.ts';

const HOUR = 3_600_000;

if (!TEST_DATABASE_URL) {
  describe.skip(SKIP_REASON, () => test('two instances', () => undefined));
} else {
  describe('two instances on one database and one object store', () => {
    let db: TestDatabase;
    let folder: string;
    const servers: TestServer[] = [];
    const prefix = `instances-${randomBytes(6).toString('hex')}`;
    const objectStore = (): ObjectStore =>
      process.env.KURA_TEST_S3_ENDPOINT
        ? new S3ObjectStore({
            endpoint: process.env.KURA_TEST_S3_ENDPOINT,
            bucket: process.env.KURA_TEST_S3_BUCKET || 'kura-test',
            region: process.env.KURA_TEST_S3_REGION || 'us-east-1',
            accessKeyId: process.env.KURA_TEST_S3_ACCESS_KEY ?? '',
            secretAccessKey: process.env.KURA_TEST_S3_SECRET_KEY ?? '',
            prefix,
          })
        : new FsObjectStore(folder);

    beforeAll(async () => {
      db = await createTestDatabase();
      folder = mkdtempSync(join(tmpdir(), 'kura-instances-'));
      for (let i = 0; i < 2; i++) servers.push(await startServer({ stores: { meta: await PostgresMetaStore.open(db.url), objects: objectStore() } }));
    });
    afterAll(async () => {
      for (const server of servers) await server.close();
      await db?.drop();
      rmSync(folder, { recursive: true, force: true });
    });

    test('a client alternating between them sees one account: chunks, snapshots, sessions, deletes', async () => {
      const [a, b] = servers as [TestServer, TestServer];
      const onA = await register(a);
      const onB = accountFor(b, onA.reg, onA.token, onA.accountId, onA.deviceId); // the same session, the other instance
      const ids = Array.from({ length: 1000 }, randomChunkId);
      const uploads = await Promise.all(ids.map((id, i) => (i % 2 ? onB : onA).putChunk(id, randomBytes(512 + (i % 7)))));
      expect(uploads.every((r) => r.status === 201)).toBe(true);

      const missing = (await (await onA.call('POST', '/chunks/missing', { ids: [...ids, randomChunkId()] })).json()) as { missing: string[] };
      expect(missing.missing).toHaveLength(1);
      const first = snapshotBody(onA.deviceId, 1, ids.slice(0, 600));
      const second = snapshotBody(onA.deviceId, 2, ids.slice(400));
      expect((await onB.call('POST', '/snapshots', first)).status).toBe(201);
      expect((await onA.call('POST', '/snapshots', second)).status).toBe(201);
      // The device counter is one, whichever instance is asked.
      expect((await onB.call('POST', '/snapshots', snapshotBody(onA.deviceId, 2, []))).status).toBe(409);

      // Signed in on B, the session works on A; the listing agrees.
      const signIn = await request(b, 'POST', '/sessions', { email: onA.reg.email, authKey: onA.reg.authKey, device: onA.reg.device });
      const { token } = (await signIn.json()) as { token: string };
      const again = accountFor(a, onA.reg, token, onA.accountId, onA.deviceId);
      const listed = (await (await again.call('GET', '/snapshots')).json()) as { snapshots: { id: string }[] };
      expect(listed.snapshots.map((s) => s.id).sort()).toEqual([first.id, second.id].sort());

      // Deleted on A, gone on B; every chunk still reachable through either instance.
      expect((await again.call('DELETE', `/snapshots/${first.id}`)).status).toBe(204);
      expect((await onB.call('GET', `/snapshots/${first.id}`)).status).toBe(404);
      const fetched = await Promise.all(ids.slice(0, 50).map((id, i) => (i % 2 ? onA : onB).call('GET', `/chunks/${id}`)));
      expect(fetched.every((r) => r.status === 200)).toBe(true);
    }, 120_000);

    test('garbage collection started on both at once runs on one and deletes each chunk once', async () => {
      const [a, b] = servers as [TestServer, TestServer];
      const user = await register(a);
      const orphans = Array.from({ length: 20 }, randomChunkId);
      for (const id of orphans) expect((await user.putChunk(id, randomBytes(300))).status).toBe(201);
      for (const server of servers) server.advance(25 * HOUR);
      const run = (server: TestServer) =>
        server.deps.meta.runAlone('gc', () => collectGarbage(server.deps, { now: server.deps.now(), graceMs: 24 * HOUR, dryRun: false }));
      const reports = await Promise.all([run(a), run(b)]);
      expect(reports.filter((r) => r === undefined)).toHaveLength(1);
      expect(reports.find((r) => r !== undefined)?.deleted).toBeGreaterThanOrEqual(orphans.length);
      const gone = await Promise.all(orphans.map((id) => user.call('GET', `/chunks/${id}`)));
      expect(gone.every((r) => r.status === 404)).toBe(true);
    }, 120_000);
  });
}
