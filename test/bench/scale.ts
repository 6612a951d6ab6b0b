/**
 * `npm run bench`, the scale-out part: chunk upload throughput of 8 concurrent Node clients against
 *   scale_1         1 server instance on the scaled backend (PostgreSQL + S3),
 *   scale_2         2 instances on that backend (the clients split between them, odd/even),
 *   scale_embedded  1 instance on the embedded backend (SQLite + files in a temp dir),
 * all in one run. Every instance is a real server process started as `npm start` starts it
 * (node --import tsx server/main.ts) on its own port, so two instances do not share an event loop.
 *
 * Which servers: the ones the tests use, KURA_TEST_DATABASE_URL (a role that may create databases)
 * and KURA_TEST_S3_* (what `eval "$(.ci/ceph-s3)"` exports); without both the part is skipped with
 * a message, and KURA_BENCH_SCALE=0 skips it. Each run makes a database of its own
 * (kura_bench_<random>, dropped at the end) and writes under a key prefix of its own in the bucket
 * (bench-<random>/, emptied at the end); the instances share a KURA_SERVER_SECRET and a large quota.
 *
 * The clients: 8 ApiClients (src/client/api/client.ts, retries off so a failure shows), each with
 * its own account, as 8 people backing up at once (one shared account would measure the lock on
 * its one usage row, not the deployment). Each has one request in flight; they take the next body
 * from one shared list, so the figure is the deployment's aggregate throughput. A body is a 1 MiB
 * Blob with its SHA-256 taken beforehand, sent as the app sends a staged envelope (Content-Digest
 * from the digest made when it was sealed), so the clients' CPU goes to HTTP, not to hashing.
 *
 * Each round, interleaved (the order rotates every round): KURA_BENCH_SCALE_MIB (default 128)
 * bodies under fresh chunk ids per configuration; the figure is the median of the rounds. The
 * latencies (p50, p99) are of every request of every round of a configuration. A warm-up of 16
 * uploads per configuration comes first (JIT, connection pools). CPU time of every process taking
 * part (this process with its clients, each instance, every postgres, radosgw and ceph-osd process)
 * is read from /proc around each measurement and printed as cores used, with the machine's busy
 * share from /proc/stat, to show what the configurations are limited by.
 */
import { createHash, randomBytes, randomFillSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { ApiClient } from '../../src/client/api/client.ts';
import type { ChunkId } from '../../src/core/ids.ts';
import { API_PREFIX } from '../../src/core/protocol.ts';
import { killChildren, startChild, type Child } from '../server/child.ts';
import { randomChunkId, registration } from '../server/harness.ts';

const MIB = 1024 * 1024;
export const SCALE_CLIENTS = 8;
const WARM_UP = 16;
const TICKS_PER_SECOND = 100; // USER_HZ, the unit of /proc/<pid>/stat times on Linux

type Config = 'scale_1' | 'scale_2' | 'scale_embedded';
const CONFIGS: readonly Config[] = ['scale_1', 'scale_2', 'scale_embedded'];
const LABELS: Record<Config, string> = {
  scale_1: 'scaled (PG + S3), 1 instance',
  scale_2: 'scaled (PG + S3), 2 instances',
  scale_embedded: 'embedded (SQLite + files), 1',
};

interface Servers {
  readonly databaseUrl: string;
  readonly s3: { endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string };
}

function serversFromEnv(env = process.env): Servers | undefined {
  const databaseUrl = env.KURA_TEST_DATABASE_URL;
  const endpoint = env.KURA_TEST_S3_ENDPOINT;
  if (!databaseUrl || !endpoint) return undefined;
  return {
    databaseUrl,
    s3: {
      endpoint,
      bucket: env.KURA_TEST_S3_BUCKET || 'kura-test',
      region: env.KURA_TEST_S3_REGION || 'us-east-1',
      accessKeyId: env.KURA_TEST_S3_ACCESS_KEY ?? '',
      secretAccessKey: env.KURA_TEST_S3_SECRET_KEY ?? '',
    },
  };
}

/** Why the scale-out part does not run, or undefined when it does. */
export function scaleSkipReason(env = process.env): string | undefined {
  if (env.KURA_BENCH_SCALE === '0') return 'Scale-out benchmark skipped (KURA_BENCH_SCALE=0).';
  if (!serversFromEnv(env)) {
    return 'Scale-out benchmark skipped: set KURA_TEST_DATABASE_URL=postgres://… (a role that may CREATE DATABASE) and KURA_TEST_S3_* (eval "$(.ci/ceph-s3)") to run it.';
  }
  return undefined;
}

// --- CPU accounting from /proc ------------------------------------------------------------------

type Group = 'clients' | 'instance_a' | 'instance_b' | 'embedded' | 'postgres' | 'radosgw' | 'ceph_osd';
const GROUPS: readonly Group[] = ['clients', 'instance_a', 'instance_b', 'embedded', 'postgres', 'radosgw', 'ceph_osd'];
const BY_NAME: Record<string, Group> = { postgres: 'postgres', radosgw: 'radosgw', 'ceph-osd': 'ceph_osd' };

interface CpuSample {
  readonly groups: Record<Group, number>; // CPU seconds so far
  readonly busy: number; // machine-wide busy seconds (all cores)
  readonly total: number; // machine-wide seconds (all cores)
}

/** utime + stime, plus the children's already reaped (postgres backends that ended), in seconds. */
function processCpu(stat: string): { name: string; seconds: number } | undefined {
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  if (open < 0 || close < 0) return undefined;
  const fields = stat.slice(close + 2).split(' '); // fields[0] is the state (field 3)
  const ticks = [11, 12, 13, 14].reduce((n, i) => n + Number(fields[i]), 0); // utime stime cutime cstime
  return { name: stat.slice(open + 1, close), seconds: ticks / TICKS_PER_SECOND };
}

function sampleCpu(pids: Partial<Record<Group, number>>): CpuSample {
  const groups = Object.fromEntries(GROUPS.map((g) => [g, 0])) as Record<Group, number>;
  const own = process.cpuUsage();
  groups.clients = (own.user + own.system) / 1e6;
  const byPid = new Map(Object.entries(pids).map(([g, pid]) => [pid, g as Group]));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    const cpu = processCpu(stat);
    if (!cpu) continue;
    const group = byPid.get(Number(entry)) ?? BY_NAME[cpu.name];
    if (group && group !== 'clients') groups[group] += cpu.seconds;
  }
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy
  const total = line.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = line[3]! + line[4]!;
  return { groups, busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

// --- servers --------------------------------------------------------------------------------

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function waitHealthy(child: Child): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(`${child.url}/health`);
      if (res.ok && ((await res.json()) as { ok?: boolean }).ok) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`instance did not answer /api/v1/health in time:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 10_000);
  await child.exited;
  clearTimeout(timer);
}

const originOf = (child: Child) => child.url.slice(0, -API_PREFIX.length);

async function emptyPrefix(s3: Servers['s3'], prefix: string): Promise<number> {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  let removed = 0;
  try {
    for (;;) {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${prefix}/`, MaxKeys: 1000 }));
      const keys = (listed.Contents ?? []).map((o) => ({ Key: o.Key! }));
      if (keys.length === 0) return removed;
      await client.send(new DeleteObjectsCommand({ Bucket: s3.bucket, Delete: { Objects: keys, Quiet: true } }));
      removed += keys.length;
    }
  } finally {
    client.destroy();
  }
}

// --- the measurement ------------------------------------------------------------------------

interface Body {
  readonly body: Blob;
  readonly sha256: string;
}

async function signUp(origin: string): Promise<ApiClient> {
  const api = new ApiClient({ origin, retry: { retries: 0 } });
  const { token } = await api.createAccount(registration() as Parameters<ApiClient['createAccount']>[0]);
  api.token = token;
  return api;
}

/** Every body once under a fresh id, SCALE_CLIENTS clients each with one request in flight. */
async function uploadAll(clients: readonly ApiClient[], bodies: readonly Body[], latencies: number[]): Promise<number> {
  const ids: ChunkId[] = bodies.map(() => randomChunkId());
  let next = 0;
  const start = performance.now();
  await Promise.all(
    clients.map(async (api) => {
      while (next < bodies.length) {
        const i = next++;
        const sent = performance.now();
        const answer = await api.putChunk(ids[i]!, bodies[i]!);
        latencies.push(performance.now() - sent);
        if (answer !== 'created') throw new Error(`upload ${i} answered ${answer}, not created`);
      }
    }),
  );
  return (performance.now() - start) / 1000;
}

export interface ScaleResult {
  readonly figures: Record<string, number>;
  /** Average cores used per process group, and the machine's busy share, per configuration. */
  readonly cpu: Record<Config, { cores: Record<Group, number>; other: number; busyPct: number }>;
}

export async function scaleBench(mib: number, rounds: number, log: (line: string) => void = console.error): Promise<ScaleResult> {
  const servers = serversFromEnv();
  if (!servers) throw new Error(scaleSkipReason());
  const run = randomBytes(6).toString('hex');
  const database = `kura_bench_${run}`;
  const prefix = `bench-${run}`;
  const scratch = mkdtempSync(join(tmpdir(), 'kura-bench-scale-'));
  const children: Child[] = [];
  const onExit = () => killChildren();
  process.once('exit', onExit);
  let created = false;
  try {
    await admin(servers.databaseUrl, (c) => c.query(`CREATE DATABASE ${database}`));
    created = true;
    const url = new URL(servers.databaseUrl);
    url.pathname = `/${database}`;

    const common = {
      KURA_SERVER_SECRET: randomBytes(32).toString('hex'),
      KURA_QUOTA_MIB: String(1024 * 1024),
      KURA_REGISTER_PER_IP_PER_HOUR: '1000',
      KURA_GC_INTERVAL_MINUTES: '1440',
    };
    const scaledEnv = (name: string) => ({
      ...common,
      KURA_DATA_DIR: join(scratch, name),
      KURA_DATABASE_URL: url.toString(),
      KURA_S3_ENDPOINT: servers.s3.endpoint,
      KURA_S3_BUCKET: servers.s3.bucket,
      KURA_S3_REGION: servers.s3.region,
      KURA_S3_ACCESS_KEY: servers.s3.accessKeyId,
      KURA_S3_SECRET_KEY: servers.s3.secretAccessKey,
      KURA_S3_PREFIX: prefix,
    });
    // Instance A first: it migrates the new database; B then finds it migrated.
    log('  starting instance A, instance B (PostgreSQL + S3) and an embedded instance...');
    const a = await startChild(scaledEnv('a'));
    children.push(a);
    const [b, embedded] = await Promise.all([
      startChild(scaledEnv('b')),
      startChild({ ...common, KURA_DATA_DIR: join(scratch, 'embedded'), KURA_DATABASE_URL: '', KURA_S3_ENDPOINT: '', KURA_S3_BUCKET: '' }),
    ]);
    children.push(b, embedded);
    await Promise.all(children.map(waitHealthy));

    // One account per client; on the scaled backend the same 8 serve both configurations (their
    // sessions are rows every instance reads).
    const scaledClients = await Promise.all(Array.from({ length: SCALE_CLIENTS }, () => signUp(originOf(a))));
    const clients: Record<Config, ApiClient[]> = {
      scale_1: scaledClients,
      scale_2: scaledClients.map((c, i) => new ApiClient({ origin: originOf(i % 2 ? b : a), token: c.token!, retry: { retries: 0 } })),
      scale_embedded: await Promise.all(Array.from({ length: SCALE_CLIENTS }, () => signUp(originOf(embedded)))),
    };
    const pids: Record<Config, Partial<Record<Group, number>>> = {
      scale_1: { instance_a: a.process.pid!, instance_b: b.process.pid! },
      scale_2: { instance_a: a.process.pid!, instance_b: b.process.pid! },
      scale_embedded: { embedded: embedded.process.pid! },
    };

    const bodies: Body[] = Array.from({ length: mib }, () => {
      const bytes = randomFillSync(new Uint8Array(MIB));
      return { body: new Blob([bytes]), sha256: createHash('sha256').update(bytes).digest('base64') };
    });
    for (const config of CONFIGS) await uploadAll(clients[config], bodies.slice(0, WARM_UP), []);

    const mbps = Object.fromEntries(CONFIGS.map((c) => [c, [] as number[]])) as Record<Config, number[]>;
    const latencies = Object.fromEntries(CONFIGS.map((c) => [c, [] as number[]])) as Record<Config, number[]>;
    const wall = Object.fromEntries(CONFIGS.map((c) => [c, 0])) as Record<Config, number>;
    const cpuUsed = Object.fromEntries(CONFIGS.map((c) => [c, { groups: Object.fromEntries(GROUPS.map((g) => [g, 0])), busy: 0, total: 0 }])) as Record<
      Config,
      { groups: Record<Group, number>; busy: number; total: number }
    >;
    for (let round = 0; round < rounds; round++) {
      const order = CONFIGS.map((_, i) => CONFIGS[(i + round) % CONFIGS.length]!);
      for (const config of order) {
        const before = sampleCpu({ ...pids.scale_1, ...pids.scale_embedded });
        const seconds = await uploadAll(clients[config], bodies, latencies[config]);
        const after = sampleCpu({ ...pids.scale_1, ...pids.scale_embedded });
        mbps[config].push(mib / seconds);
        wall[config] += seconds;
        const used = cpuUsed[config];
        for (const g of GROUPS) used.groups[g] += after.groups[g] - before.groups[g];
        used.busy += after.busy - before.busy;
        used.total += after.total - before.total;
        log(`  round ${round + 1}: ${LABELS[config]} ${(mib / seconds).toFixed(1)} MiB/s`);
      }
    }

    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const percentile = (xs: number[], p: number) => {
      const sorted = [...xs].sort((x, y) => x - y);
      return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
    };
    const round1 = (x: number) => Math.round(x * 10) / 10;
    const ratio = (x: number) => Math.round(x * 1000) / 1000;
    const m = Object.fromEntries(CONFIGS.map((c) => [c, median(mbps[c])])) as Record<Config, number>;
    const figures: Record<string, number> = { scale_data_mib: mib, scale_clients: SCALE_CLIENTS };
    for (const c of CONFIGS) {
      figures[`${c}_mbps`] = round1(m[c]);
      figures[`${c}_p50_ms`] = round1(percentile(latencies[c], 50));
      figures[`${c}_p99_ms`] = round1(percentile(latencies[c], 99));
    }
    figures.scale_2_over_1 = ratio(m.scale_2 / m.scale_1);
    figures.scale_scaled_over_embedded = ratio(m.scale_1 / m.scale_embedded);
    for (const c of CONFIGS) figures[`${c}_busy_pct`] = Math.round((cpuUsed[c].busy / cpuUsed[c].total) * 100);
    const cpu = Object.fromEntries(
      CONFIGS.map((c) => [
        c,
        {
          cores: Object.fromEntries(GROUPS.map((g) => [g, Math.round((cpuUsed[c].groups[g] / wall[c]) * 100) / 100])) as Record<Group, number>,
          // Everything else busy meanwhile: the kernel's own work, and on a shared host other jobs.
          other: Math.max(0, Math.round(((cpuUsed[c].busy - GROUPS.reduce((n, g) => n + cpuUsed[c].groups[g], 0)) / wall[c]) * 100) / 100),
          busyPct: figures[`${c}_busy_pct`]!,
        },
      ]),
    ) as ScaleResult['cpu'];
    return { figures, cpu };
  } finally {
    await Promise.all(children.map(stopChild));
    killChildren(); // any started but not yet listed (one failed to start beside it)
    process.off('exit', onExit);
    const removed = await emptyPrefix(servers.s3, prefix).catch((e: unknown) => {
      console.error(`  could not empty s3://${servers.s3.bucket}/${prefix}/: ${String(e)}`);
      return 0;
    });
    if (created) await admin(servers.databaseUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    rmSync(scratch, { recursive: true, force: true });
    log(`  cleaned up: database ${database} dropped, ${removed} object(s) under ${prefix}/ deleted`);
  }
}

/** The short table `npm run bench` prints. */
export function printScale({ figures, cpu }: ScaleResult, out: (line: string) => void = console.log): void {
  out(`Scale-out: ${SCALE_CLIENTS} Node clients uploading 1 MiB chunks, ${figures.scale_data_mib} MiB per measurement (median MiB/s; latency of every request):`);
  out(`  ${'configuration'.padEnd(31)} ${'MiB/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}`);
  for (const c of CONFIGS) {
    out(`  ${LABELS[c].padEnd(31)} ${figures[`${c}_mbps`]!.toFixed(1).padStart(7)} ${figures[`${c}_p50_ms`]!.toFixed(1).padStart(7)} ${figures[`${c}_p99_ms`]!.toFixed(1).padStart(7)}`);
  }
  out(`  2 instances / 1 = ${figures.scale_2_over_1}; scaled / embedded (1 instance each) = ${figures.scale_scaled_over_embedded}`);
  const shown = GROUPS.filter((g) => CONFIGS.some((c) => cpu[c].cores[g] >= 0.01));
  out(`  CPU, cores used on average while measuring (this machine has ${cpuCount()}), and the machine's busy share:`);
  out(`  ${''.padEnd(31)} ${[...shown, 'other'].map((g) => g.replace('instance_', 'inst_').padStart(8)).join(' ')}     busy`);
  for (const c of CONFIGS) {
    const cells = [...shown.map((g) => cpu[c].cores[g]), cpu[c].other].map((x) => x.toFixed(2).padStart(8));
    out(`  ${LABELS[c].padEnd(31)} ${cells.join(' ')}   ${String(cpu[c].busyPct).padStart(4)} %`);
  }
}

function cpuCount(): number {
  return readFileSync('/proc/stat', 'utf8').split('\n').filter((l) => /^cpu\d/.test(l)).length;
}

// Standalone: `npx tsx test/bench/scale.ts` with the servers' env set.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const reason = scaleSkipReason();
  if (reason) {
    console.error(reason);
  } else {
    const mib = Number(process.env.KURA_BENCH_SCALE_MIB ?? 128);
    const rounds = Number(process.env.KURA_BENCH_ROUNDS ?? 3);
    const result = await scaleBench(mib, rounds);
    printScale(result);
    console.log(JSON.stringify(result.figures));
  }
}
