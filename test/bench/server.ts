/**
 * `npm run bench`, the server part: chunk upload throughput over loopback against the real app
 * (test/server/harness.ts, backend 'embedded': SQLite + the file-system object store in a temp dir),
 * as a ratio to writing the same bytes with fsync directly from Node, measured in the same run.
 *
 * Each round, interleaved, over `mib` distinct random 1 MiB bodies:
 *   fsync_write_1  each body to its own new file in os.tmpdir(): open, write, fsync, close, in turn
 *   fsync_write_4  the same with 4 writers sharing the list
 *   upload_1       PUT /chunks/:id of each body, one request at a time
 *   upload_4       the same with 4 concurrent clients sharing the list
 *   memory_upload_1/4  the same app on in-memory stores: what HTTP alone costs on this host, so the
 *                  figures separate the storage path from the transport
 * Every round uploads under fresh ids: the server answers 200 without writing for an id it already
 * holds, which would flatter it. Digests are computed once up front (a client does that on its own
 * machine), so the figures are the server's work, plus HTTP over loopback in the same process.
 *
 * Before the rounds, a tiny chunk per two-hex-digit prefix makes the account's 256 object
 * directories exist, as they do on a server that has been in use for a while, so no round pays for
 * creating (and fsyncing) them.
 */
import { createHash, randomFillSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentDigestHeader } from '../../src/core/protocol.ts';
import type { ChunkId } from '../../src/core/ids.ts';
import { randomChunkId, register, startServer, type Account } from '../server/harness.ts';

const MIB = 1024 * 1024;
const CONCURRENCY = 4;

/** Runs `work` on every index with `workers` async workers taking the next one in turn. */
async function pool(count: number, workers: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

async function writeSynced(path: string, bytes: Uint8Array): Promise<void> {
  const file = await open(path, 'wx', 0o600);
  try {
    await file.writeFile(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
}

async function upload(account: Account, id: ChunkId, body: Uint8Array, digest: string): Promise<void> {
  const res = await account.call('PUT', `/chunks/${id}`, body, { 'content-digest': digest, 'content-type': 'application/octet-stream' });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`upload of ${id} answered ${res.status}, not 201: ${text}`);
}

export async function serverBench(mib: number, rounds: number): Promise<Record<string, number>> {
  const bodies = Array.from({ length: mib }, () => randomFillSync(new Uint8Array(MIB)));
  const digests = bodies.map((b) => contentDigestHeader(createHash('sha256').update(b).digest('base64')));
  const server = await startServer({ backend: 'embedded', config: { quotaBytes: 1e12 } });
  // The same app with in-memory stores: the HTTP ceiling of this host, no disk at all.
  const ceiling = await startServer({ backend: 'memory', config: { quotaBytes: 1e12 } });
  const scratch = mkdtempSync(join(tmpdir(), 'kura-bench-fsync-'));
  try {
    const account = await register(server);
    const ceilingAccount = await register(ceiling);
    const tiny = new Uint8Array(64);
    const tinyDigest = contentDigestHeader(createHash('sha256').update(tiny).digest('base64'));
    await pool(256, CONCURRENCY, async (i) => {
      const id = (i.toString(16).padStart(2, '0') + randomChunkId().slice(2)) as ChunkId;
      await upload(account, id, tiny, tinyDigest);
    });

    let files = 0;
    const fsyncWrite = (workers: number) => async () => {
      const paths = bodies.map(() => join(scratch, `${files++}.bin`));
      const start = performance.now();
      await pool(mib, workers, (i) => writeSynced(paths[i]!, bodies[i]!));
      const seconds = (performance.now() - start) / 1000;
      await Promise.all(paths.map((p) => unlink(p)));
      return seconds;
    };
    const uploads = (workers: number, to = account) => async () => {
      const ids = bodies.map(() => randomChunkId());
      const start = performance.now();
      await pool(mib, workers, (i) => upload(to, ids[i]!, bodies[i]!, digests[i]!));
      return (performance.now() - start) / 1000;
    };
    const measurements = {
      fsync_write_1: fsyncWrite(1),
      fsync_write_4: fsyncWrite(CONCURRENCY),
      upload_1: uploads(1),
      upload_4: uploads(CONCURRENCY),
      memory_upload_1: uploads(1, ceilingAccount),
      memory_upload_4: uploads(CONCURRENCY, ceilingAccount),
    } satisfies Record<string, () => Promise<number>>;
    type Name = keyof typeof measurements;

    const samples = Object.fromEntries(Object.keys(measurements).map((k) => [k, [] as number[]])) as Record<Name, number[]>;
    for (let round = 0; round < rounds; round++) {
      for (const [name, run] of Object.entries(measurements) as [Name, () => Promise<number>][]) {
        samples[name].push(mib / (await run()));
      }
    }

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const mbps = Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, median(xs)])) as Record<Name, number>;
    const round1 = (x: number) => Math.round(x * 10) / 10;
    const ratio = (x: number) => Math.round(x * 1000) / 1000;
    return {
      server_upload_1_mbps: round1(mbps.upload_1),
      server_upload_4_mbps: round1(mbps.upload_4),
      fsync_write_1_mbps: round1(mbps.fsync_write_1),
      fsync_write_4_mbps: round1(mbps.fsync_write_4),
      server_upload_1_over_fsync: ratio(mbps.upload_1 / mbps.fsync_write_1),
      server_upload_4_over_fsync: ratio(mbps.upload_4 / mbps.fsync_write_4),
      server_memory_upload_1_mbps: round1(mbps.memory_upload_1),
      server_memory_upload_4_mbps: round1(mbps.memory_upload_4),
      server_upload_1_over_memory: ratio(mbps.upload_1 / mbps.memory_upload_1),
      server_upload_4_over_memory: ratio(mbps.upload_4 / mbps.memory_upload_4),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await server.close();
    await ceiling.close();
  }
}
