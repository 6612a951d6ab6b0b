/**
 * Two server processes on one PostgreSQL database and one S3 bucket; one is killed with SIGKILL in
 * the middle of a client's uploads, which then go on through the other. Every chunk either
 * instance acknowledged must be served whole by the survivor. Needs KURA_TEST_DATABASE_URL and
 * KURA_TEST_S3_* (`.ci/run` starts both servers); skipped otherwise.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { killChildren, startChild, type Child } from './child.ts';
import { digestOf, randomChunkId, registration } from './harness.ts';
import { createTestDatabase, TEST_DATABASE_URL } from './postgres-db.ts';

const S3 = process.env.KURA_TEST_S3_ENDPOINT;
const CHUNKS = 400;
const WORKERS = 4;

const dirs: string[] = [];
afterEach(() => {
  killChildren();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

if (!TEST_DATABASE_URL || !S3) {
  describe.skip('instances killed mid-upload: skipped, set KURA_TEST_DATABASE_URL and KURA_TEST_S3_* (.ci/run does)', () => test('kill', () => undefined));
} else {
  test('an instance killed mid-upload: the other serves every chunk either acknowledged', async () => {
    const db = await createTestDatabase();
    const shared = {
      KURA_DATABASE_URL: db.url,
      KURA_S3_ENDPOINT: S3,
      KURA_S3_BUCKET: process.env.KURA_TEST_S3_BUCKET || 'kura-test',
      KURA_S3_REGION: process.env.KURA_TEST_S3_REGION || 'us-east-1',
      KURA_S3_ACCESS_KEY: process.env.KURA_TEST_S3_ACCESS_KEY ?? '',
      KURA_S3_SECRET_KEY: process.env.KURA_TEST_S3_SECRET_KEY ?? '',
      KURA_S3_PREFIX: `kill-${randomBytes(6).toString('hex')}`,
      KURA_SERVER_SECRET: randomBytes(32).toString('hex'),
    };
    const instance = () => {
      const dir = mkdtempSync(join(tmpdir(), 'kura-instance-'));
      dirs.push(dir);
      return startChild({ ...shared, KURA_DATA_DIR: dir });
    };
    const [doomed, survivor] = (await Promise.all([instance(), instance()])) as [Child, Child];
    try {
      const reg = registration();
      const created = await fetch(`${doomed.url}/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(reg) });
      expect(created.status).toBe(201);
      const { token } = (await created.json()) as { token: string };
      const chunks = Array.from({ length: CHUNKS }, () => ({ id: randomChunkId(), body: randomBytes(1 + Math.floor(Math.random() * 32_768)) }));
      const put = (base: string, c: (typeof chunks)[number]) =>
        fetch(`${base}/chunks/${c.id}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-digest': digestOf(c.body) },
          body: c.body,
        });

      // Workers alternate between the instances; after a third of the uploads, one is killed.
      const acknowledged = new Set<string>();
      let next = 0;
      let killed = false;
      const worker = async (w: number): Promise<void> => {
        while (next < chunks.length) {
          const i = next++;
          const chunk = chunks[i]!;
          if (!killed && acknowledged.size >= CHUNKS / 3) {
            killed = true;
            doomed.process.kill('SIGKILL');
          }
          const target = !killed && (i + w) % 2 === 0 ? doomed.url : survivor.url;
          const answer = await put(target, chunk).catch(() => put(survivor.url, chunk)); // a dropped connection: the other instance
          if (answer.status === 200 || answer.status === 201) acknowledged.add(chunk.id);
        }
      };
      await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
      expect(killed).toBe(true);
      expect((await doomed.exited).signal).toBe('SIGKILL');
      expect(acknowledged.size).toBe(CHUNKS);

      for (const chunk of chunks) {
        const got = await fetch(`${survivor.url}/chunks/${chunk.id}`, { headers: { authorization: `Bearer ${token}` } });
        expect(got.status, chunk.id).toBe(200);
        const body = Buffer.from(await got.arrayBuffer());
        expect(createHash('sha256').update(body).digest('hex'), chunk.id).toBe(createHash('sha256').update(chunk.body).digest('hex'));
      }
    } finally {
      killChildren();
      await db.drop();
    }
  }, 180_000);
}
