/**
 * Crash safety: the real server in a child process is killed with SIGKILL at seeded random moments
 * while a client uploads 1,000 chunks through four concurrent workers. After every restart on the
 * same data directory, each acknowledged chunk must be served whole with the right digest, each
 * chunk whose upload was cut off must be either absent (404) or whole, and no object file on disk
 * may hold anything but the complete bytes of its chunk. At the end all 1,000 chunks are stored,
 * SQLite passes its integrity check and a restart leaves no temp file behind.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { SqliteMetaStore } from '../../server/storage/sqlite-meta.ts';
import { killChildren, startChild as startProcess, type Child } from './child.ts';
import { digestOf, registration } from './harness.ts';

const SEEDS = [1, 2, 3, 4, 5];
const CHUNKS = 1000;
const MAX_CHUNK_BYTES = 64 * 1024;
const WORKERS = 4;

/** mulberry32: a tiny seeded PRNG, so every kill point, size and id follows from the seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max]. */
const between = (rand: () => number, min: number, max: number): number => min + Math.floor(rand() * (max - min + 1));

function randomBytesFrom(rand: () => number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 4) {
    const word = Math.floor(rand() * 4294967296);
    for (let j = 0; j < 4 && i + j < length; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
  }
  return out;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

interface Chunk {
  readonly id: string;
  readonly body: Uint8Array;
  readonly sha256: string;
}

function makeChunks(rand: () => number): Chunk[] {
  const chunks: Chunk[] = [];
  const seen = new Set<string>();
  while (chunks.length < CHUNKS) {
    const id = hex(randomBytesFrom(rand, 32));
    const body = randomBytesFrom(rand, between(rand, 1, MAX_CHUNK_BYTES));
    if (seen.has(id)) continue;
    seen.add(id);
    chunks.push({ id, body, sha256: sha256Hex(body) });
  }
  return chunks;
}

const dirs: string[] = [];
const startChild = (dataDir: string) => startProcess({ KURA_DATA_DIR: dataDir });

afterEach(() => {
  killChildren();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});


async function stopChild(child: Child, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill(signal);
  return child.exited;
}

/** Lines in the server's output that mean it served or noticed something it should not have. */
function serverComplaints(output: string): string[] {
  return output.split('\n').filter((line) => /internal error|object-corrupt|maintenance failed|access log write failed/.test(line));
}

/** Runs `fn` over `items` with `WORKERS` concurrent workers. */
async function forEachConcurrently<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

interface Outcome {
  readonly status: number;
  readonly body: Uint8Array;
}

async function getChunk(url: string, token: string, id: string): Promise<Outcome> {
  const res = await fetch(`${url}/chunks/${id}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: new Uint8Array(await res.arrayBuffer()) };
}

function describeBody(outcome: Outcome): string {
  if (outcome.status !== 200) return `${outcome.status} ${Buffer.from(outcome.body).toString('utf8').slice(0, 200)}`;
  return `200 with ${outcome.body.length} bytes, sha256 ${sha256Hex(outcome.body)}`;
}

/**
 * Checks the served state: acknowledged chunks are there whole; chunks cut off mid-upload are
 * absent or whole. Returns the ids of cut-off chunks that turned out to be stored.
 */
async function verifyServed(
  url: string,
  token: string,
  acked: ReadonlySet<Chunk>,
  cutOff: ReadonlySet<Chunk>,
  problems: string[],
  when: string,
): Promise<Set<Chunk>> {
  const stored = new Set<Chunk>();
  const toCheck = [...new Set([...acked, ...cutOff])];
  await forEachConcurrently(toCheck, async (chunk) => {
    const got = await getChunk(url, token, chunk.id);
    const whole = got.status === 200 && got.body.length === chunk.body.length && sha256Hex(got.body) === chunk.sha256;
    if (acked.has(chunk)) {
      if (!whole) problems.push(`${when}: acknowledged chunk ${chunk.id} (${chunk.body.length} bytes) answered ${describeBody(got)}`);
      return;
    }
    if (whole) {
      stored.add(chunk);
      return;
    }
    const notFound = got.status === 404 && Buffer.from(got.body).toString('utf8').includes('"not-found"');
    if (!notFound) problems.push(`${when}: cut-off chunk ${chunk.id} (${chunk.body.length} bytes) answered ${describeBody(got)}`);
  });
  return stored;
}

/** Every object file on disk must hold exactly the bytes of its chunk: never a partial object. */
function verifyObjectFiles(dataDir: string, accountId: string, byId: ReadonlyMap<string, Chunk>, problems: string[], when: string): number {
  const root = join(dataDir, 'objects', accountId);
  let files = 0;
  let prefixes: string[];
  try {
    prefixes = readdirSync(root);
  } catch {
    return 0; // nothing stored yet
  }
  for (const prefix of prefixes) {
    for (const name of readdirSync(join(root, prefix))) {
      files++;
      const chunk = byId.get(name);
      const bytes = readFileSync(join(root, prefix, name));
      if (!chunk || name.slice(0, 2) !== prefix) problems.push(`${when}: unexpected object file ${prefix}/${name}`);
      else if (bytes.length !== chunk.body.length || sha256Hex(bytes) !== chunk.sha256) {
        problems.push(`${when}: object file for ${name} holds ${bytes.length} of ${chunk.body.length} bytes or different bytes`);
      }
    }
  }
  return files;
}

describe('crash safety (SIGKILL during uploads)', () => {
  test.each(SEEDS)(
    'seed %i: every acknowledged chunk survives, no partial object is ever served',
    async (seed) => {
      const rand = mulberry32(seed);
      const chunks = makeChunks(rand);
      const byId = new Map(chunks.map((c) => [c.id, c] as const));
      // Two or three kills, each after a seeded number of acknowledgements in its run of the
      // server plus a seeded delay of a few milliseconds, so requests are cut at varied stages.
      const kills = Array.from({ length: between(rand, 2, 3) }, () => ({ afterAcks: between(rand, 20, 300), delayMs: between(rand, 0, 5) }));

      const dataDir = mkdtempSync(join(tmpdir(), 'kura-crash-'));
      dirs.push(dataDir);
      const problems: string[] = [];
      const acked = new Set<Chunk>();
      const cutOff = new Set<Chunk>();
      /** Cut-off chunks found stored after a restart: retrying them must answer 200, not 201. */
      const expectAlreadyStored = new Set<Chunk>();
      let pending: Chunk[] = [...chunks];

      let child = await startChild(dataDir);
      const reg = registration();
      const created = await fetch(`${child.url}/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(reg),
      });
      expect(created.status).toBe(201);
      const { token, accountId } = (await created.json()) as { token: string; accountId: string };

      let killsDone = 0;
      let cutOffTotal = 0;
      while (pending.length > 0 || killsDone < kills.length) {
        const kill = kills[killsDone];
        const server = child;
        let killed = false;
        let killScheduled: Promise<void> | undefined;
        let acksThisRun = 0;
        const queue = pending;
        const failed: Chunk[] = [];

        const upload = async (chunk: Chunk): Promise<void> => {
          let res: Response;
          try {
            res = await fetch(`${server.url}/chunks/${chunk.id}`, {
              method: 'PUT',
              headers: {
                authorization: `Bearer ${token}`,
                'content-digest': digestOf(chunk.body),
                'content-type': 'application/octet-stream',
              },
              body: chunk.body as BodyInit,
            });
          } catch (e) {
            if (!killed) throw new Error(`upload of ${chunk.id} failed while the server was up`, { cause: e });
            cutOff.add(chunk);
            failed.push(chunk);
            return;
          }
          await res.arrayBuffer().catch(() => undefined);
          if (res.status !== 200 && res.status !== 201) {
            problems.push(`PUT ${chunk.id} (${chunk.body.length} bytes) answered ${res.status}`);
            failed.push(chunk);
            return;
          }
          if (expectAlreadyStored.has(chunk) && res.status !== 200) {
            problems.push(`retry of ${chunk.id}, found stored after a crash, answered ${res.status} instead of 200`);
          }
          acked.add(chunk);
          acksThisRun++;
          if (kill && !killScheduled && acksThisRun >= kill.afterAcks) {
            killScheduled = new Promise<void>((resolve) => {
              setTimeout(() => {
                killed = true;
                server.process.kill('SIGKILL');
                resolve();
              }, kill.delayMs);
            });
          }
        };

        let next = 0;
        await Promise.all(
          Array.from({ length: WORKERS }, async () => {
            while (!killed && next < queue.length) await upload(queue[next++]!);
          }),
        );
        pending = [...failed, ...queue.slice(next)];

        if (kill) {
          // The kill may come after the last upload of this run; the server is killed anyway.
          if (!killScheduled) {
            killScheduled = Promise.resolve().then(() => {
              killed = true;
              server.process.kill('SIGKILL');
            });
          }
          await killScheduled;
          const exit = await server.exited;
          expect(exit.signal).toBe('SIGKILL');
          killsDone++;
          cutOffTotal += failed.length;
          problems.push(...serverComplaints(server.output()).map((line) => `before kill ${killsDone}: ${line}`));
          verifyObjectFiles(dataDir, accountId, byId, problems, `after kill ${killsDone}`);

          // A kill can leave temp files of uploads in flight; the restart sweeps them.
          child = await startChild(dataDir);
          expect(readdirSync(join(dataDir, 'tmp'))).toEqual([]);
          const stillCutOff = new Set([...cutOff].filter((c) => !acked.has(c)));
          const stored = await verifyServed(child.url, token, acked, stillCutOff, problems, `after restart ${killsDone}`);
          for (const chunk of stored) expectAlreadyStored.add(chunk);
          expect(problems).toEqual([]);
        } else if (pending.length > 0) {
          expect(problems).toEqual([]);
          throw new Error(`${pending.length} chunk(s) not acknowledged without a kill`);
        }
      }

      // Every chunk is acknowledged and served whole; every file on disk is whole.
      expect(acked.size).toBe(CHUNKS);
      expect(killsDone).toBe(kills.length);
      await verifyServed(child.url, token, acked, new Set(), problems, 'at the end');
      expect(verifyObjectFiles(dataDir, accountId, byId, problems, 'at the end')).toBe(CHUNKS);
      problems.push(...serverComplaints(child.output()).map((line) => `last run: ${line}`));
      expect(problems).toEqual([]);
      // The kills cut off at least one upload in flight (four workers were busy at each kill).
      expect(cutOffTotal).toBeGreaterThan(0);

      // A clean stop, then SQLite's own integrity check on what the crashes left.
      const stopped = await stopChild(child, 'SIGTERM');
      expect(stopped).toEqual({ code: 0, signal: null });
      const store = new SqliteMetaStore(join(dataDir, 'kura.sqlite'));
      try {
        expect(await store.integrityCheck()).toBe('ok');
      } finally {
        await store.close();
      }

      // A restart sweeps temp files of interrupted writes, and still serves everything.
      child = await startChild(dataDir);
      expect(readdirSync(join(dataDir, 'tmp'))).toEqual([]);
      await verifyServed(child.url, token, acked, new Set(), problems, 'after the final restart');
      expect(problems).toEqual([]);
      expect(await stopChild(child, 'SIGTERM')).toEqual({ code: 0, signal: null });
    },
    120_000,
  );
});
