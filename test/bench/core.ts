/**
 * `npm run bench`, the core part: throughput of the primitives and of the whole backup pipeline,
 * measured in one run on the same machine so the ratios mean something on a noisy shared host.
 *
 * Every figure is the median of ROUNDS passes over the same generated data; passes of the different
 * measurements are interleaved so a burst of noise hits them alike. The AES-GCM baseline is the
 * better of one call at a time and CONCURRENCY calls in flight, so the ratio never flatters the
 * pipeline by comparing its concurrency with a sequential baseline.
 *
 * Then the same core runs in a Chromium worker (chromium.ts), where backups really run, over
 * KURA_BENCH_BROWSER_MIB (default 128; 0 skips it), reading its data through Blob.stream().
 *
 * Last, the server (server.ts): chunk uploads over loopback to the embedded backend, 1 and 4 clients,
 * against writing the same bytes with fsync from Node, over KURA_BENCH_SERVER_MIB (default 64; 0
 * skips it) of 1 MiB envelopes per measurement per round.
 *
 * Then records (records.ts): a 10,000-call log and 2,000 contacts imported (preview, commit), synced
 * and listed cold on a second device, in Node against the in-process server, each beside the time
 * to parse the same file (KURA_BENCH_RECORDS=0 skips it).
 *
 * Then the scale-out (scale.ts): 8 Node clients uploading 1 MiB chunks to 1 and 2 server processes
 * on PostgreSQL + S3 (the servers of KURA_TEST_DATABASE_URL and KURA_TEST_S3_*) and to 1 on the
 * embedded backend, over KURA_BENCH_SCALE_MIB (default 128) per measurement per round; skipped with
 * a message without those servers, or with KURA_BENCH_SCALE=0.
 *
 * Then the app itself (ui.ts): first paint of Home from a warm service worker, opening a 10,000-photo
 * backup's grid, frames dropped while scrolling it, and the initial JavaScript (KURA_BENCH_UI=0
 * skips it).
 *
 * Then the end-to-end backup (e2e.ts): a generated KURA_BENCH_GIB (default 1; 0 skips it) dataset
 * backed up by the real engine in a Chromium worker into a local Kura server, re-run unchanged,
 * restored; with restic over the same dataset when it is on PATH.
 *
 * The last line printed is one JSON object: the keys the foundation issue asks for, the browser and
 * server and scale-out parts', and the end-to-end keys. The end-to-end figures own `aesgcm_mbps` and
 * `restore_mbps` (Chromium's raw AES-GCM, the restore of the whole dataset from the server); this
 * file's Node figures of the same names are `node_aesgcm_mbps` and `node_restore_mbps`.
 */
import { randomFillSync } from 'node:crypto';
import { chunkStream } from '../../src/core/chunking/stream.ts';
import { concatBytes, type Bytes } from '../../src/core/bytes.ts';
import { createMasterKey } from '../../src/core/crypto/masterkey.ts';
import { deriveAccountKeys } from '../../src/core/crypto/subkeys.ts';
import type { ChunkId } from '../../src/core/ids.ts';
import type { FileEntry } from '../../src/core/manifest/snapshot.ts';
import { sealFile } from '../../src/core/pipeline/backup.ts';
import { openFile } from '../../src/core/pipeline/restore.ts';
import { chromiumBench } from './chromium.ts';
import { e2eBench, printE2e } from './e2e.ts';
import { recordsBench } from './records.ts';
import { printScale, scaleBench, scaleSkipReason } from './scale.ts';
import { serverBench } from './server.ts';
import { uiBench } from './ui.ts';

const MIB = 1024 * 1024;
const TOTAL = Number(process.env.KURA_BENCH_MIB ?? 256) * MIB;
const ROUNDS = Number(process.env.KURA_BENCH_ROUNDS ?? 3);
const BLOCK = 64 * 1024; // what File.stream() hands out in Chromium
const CONCURRENCY = 4;

console.error(`Core in Node, ${TOTAL / MIB} MiB × ${ROUNDS} rounds (progress on stderr, figures on stdout at the end)...`);
const data = new Uint8Array(TOTAL);
for (let at = 0; at < TOTAL; at += 64 * MIB) randomFillSync(data, at, Math.min(64 * MIB, TOTAL - at));
const keys = await deriveAccountKeys(createMasterKey());
const aesKey = keys.chunk;
const hmacKey = keys.chunkId;
const iv = new Uint8Array(12);

function* blocks(): Generator<Uint8Array> {
  for (let at = 0; at < TOTAL; at += BLOCK) yield data.subarray(at, at + BLOCK);
}

/** Runs `call` on every 1 MiB piece with `depth` calls in flight. */
async function perMiB(depth: number, call: (piece: Bytes) => Promise<unknown>): Promise<void> {
  const inFlight = new Set<Promise<unknown>>();
  for (let at = 0; at < TOTAL; at += MIB) {
    const p: Promise<unknown> = call(data.subarray(at, at + MIB)).then(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= depth) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

const aes = (depth: number) => () => perMiB(depth, (p) => crypto.subtle.encrypt({ name: 'AES-GCM', iv }, aesKey, p));
const hmac = (depth: number) => () => perMiB(depth, (p) => crypto.subtle.sign('HMAC', hmacKey, p));

async function chunker(): Promise<void> {
  let n = 0;
  for await (const c of chunkStream(blocks(), keys.gear)) n += c.bytes.length;
  if (n !== TOTAL) throw new Error('chunker lost bytes');
}

let lastBackup: { entry: FileEntry; store: Map<ChunkId, Bytes> } | undefined;
/** Seals the data as one file. Envelopes are dropped (a real run stages them) unless `keep`. */
async function pipeline(keep = false): Promise<void> {
  const store = new Map<ChunkId, Bytes>();
  let entry: FileEntry | undefined;
  const meta = { path: 'bench.bin', lastModified: 0, type: 'application/octet-stream', size: TOTAL };
  for await (const item of sealFile(blocks(), keys, meta, { concurrency: CONCURRENCY })) {
    if (item.kind === 'chunk' && item.envelope && keep) store.set(item.id, concatBytes(...item.envelope));
    else if (item.kind === 'file') entry = item.entry;
  }
  if (keep) lastBackup = { entry: entry!, store };
}

async function restore(): Promise<void> {
  const { entry, store } = lastBackup!;
  let n = 0;
  for await (const piece of openFile(entry, keys, async (id) => store.get(id)!, { concurrency: CONCURRENCY })) n += piece.length;
  if (n !== TOTAL) throw new Error('restore lost bytes');
}

const measurements = {
  aesgcm_seq: aes(1),
  aesgcm_par: aes(CONCURRENCY),
  hmac_seq: hmac(1),
  hmac_par: hmac(CONCURRENCY),
  chunker,
  pipeline: () => pipeline(),
  restore,
} satisfies Record<string, () => Promise<void>>;
type Name = keyof typeof measurements;

const samples = Object.fromEntries(Object.keys(measurements).map((k) => [k, [] as number[]])) as Record<Name, number[]>;
await pipeline(true); // warm-up: JIT, key schedules, and the envelopes restore reads
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(measurements) as [Name, () => Promise<void>][]) {
    const start = performance.now();
    await run();
    samples[name].push(TOTAL / MIB / ((performance.now() - start) / 1000));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mbps = Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, median(xs)])) as Record<Name, number>;
const round1 = (x: number) => Math.round(x * 10) / 10;
const aesgcm = Math.max(mbps.aesgcm_seq, mbps.aesgcm_par);
const result = {
  data_mib: TOTAL / MIB,
  rounds: ROUNDS,
  node_aesgcm_mbps: round1(aesgcm),
  aesgcm_seq_mbps: round1(mbps.aesgcm_seq),
  aesgcm_par_mbps: round1(mbps.aesgcm_par),
  hmac_mbps: round1(Math.max(mbps.hmac_seq, mbps.hmac_par)),
  chunker_mbps: round1(mbps.chunker),
  pipeline_mbps: round1(mbps.pipeline),
  node_restore_mbps: round1(mbps.restore),
  pipeline_over_aesgcm: Math.round((mbps.pipeline / aesgcm) * 1000) / 1000,
  pipeline_over_aesgcm_seq: Math.round((mbps.pipeline / mbps.aesgcm_seq) * 1000) / 1000,
  restore_over_aesgcm: Math.round((mbps.restore / aesgcm) * 1000) / 1000,
  chunks: lastBackup!.entry.chunks.length,
};

const browserMiB = Number(process.env.KURA_BENCH_BROWSER_MIB ?? 128);
if (browserMiB > 0) console.error(`Core in a Chromium worker, ${browserMiB} MiB...`);
const browser = browserMiB > 0 ? await chromiumBench(browserMiB, ROUNDS) : undefined;
const browserResult: Record<string, number> = browser
  ? {
      chromium_data_mib: browserMiB,
      ...Object.fromEntries(Object.entries(browser).map(([k, v]) => [`chromium_${k}_mbps`, v])),
      chromium_pipeline_over_aesgcm_1mib: Math.round((browser.pipeline! / browser.aesgcm_1mib!) * 1000) / 1000,
    }
  : {};

const serverMiB = Number(process.env.KURA_BENCH_SERVER_MIB ?? 64);
if (serverMiB > 0) console.error(`Server chunk uploads, ${serverMiB} MiB...`);
const server = serverMiB > 0 ? await serverBench(serverMiB, ROUNDS) : undefined;
const serverResult: Record<string, number> = server ? { server_data_mib: serverMiB, ...server } : {};

const runRecords = process.env.KURA_BENCH_RECORDS !== '0';
if (runRecords) console.error('Records: a 10,000-call log and 2,000 contacts imported, synced and listed on a second device...');
const records = runRecords ? await recordsBench(ROUNDS) : undefined;

const scaleSkipped = scaleSkipReason();
const scaleMiB = Number(process.env.KURA_BENCH_SCALE_MIB ?? 128);
if (scaleSkipped) console.error(scaleSkipped);
else console.error(`Scale-out: ${scaleMiB} MiB of chunk uploads per measurement to 1 and 2 instances on PostgreSQL + S3 and to 1 embedded...`);
const scale = scaleSkipped ? undefined : await scaleBench(scaleMiB, ROUNDS);

const runUi = process.env.KURA_BENCH_UI !== '0';
if (runUi) console.error('The app in Chromium (first paint, 10,000-photo grid, scrolling, initial JavaScript)...');
const ui = runUi ? await uiBench(ROUNDS, (line) => console.error(line)) : undefined;

// Last, as it is the longest; printed after the parts above, before the one JSON line.
const gib = Number(process.env.KURA_BENCH_GIB ?? 1);
const e2e = gib > 0 ? await e2eBench(gib) : undefined;

console.log(`Kura core benchmark: ${result.data_mib} MiB, median of ${ROUNDS} rounds, MiB/s (MB = MiB here)`);
for (const [name, value] of Object.entries(mbps)) console.log(`  ${name.padEnd(12)} ${value.toFixed(1).padStart(8)}`);
console.log(`  pipeline / raw AES-GCM = ${result.pipeline_over_aesgcm} (${result.pipeline_over_aesgcm_seq} of one call at a time)`);
if (browser) {
  console.log(`In a Chromium worker, ${browserMiB} MiB:`);
  for (const [name, value] of Object.entries(browser)) console.log(`  ${name.padEnd(14)} ${value.toFixed(1).padStart(8)}`);
  console.log(`  pipeline / raw AES-GCM (1 MiB calls) = ${browserResult.chromium_pipeline_over_aesgcm_1mib}`);
}
if (server) {
  console.log(`Server chunk uploads over loopback (embedded: SQLite + files), ${serverMiB} × 1 MiB, MiB/s:`);
  for (const [name, value] of Object.entries(server).filter(([k]) => k.endsWith('_mbps'))) {
    console.log(`  ${name.replace(/_mbps$/, '').padEnd(16)} ${value.toFixed(1).padStart(8)}`);
  }
  console.log(`  upload / fsync'd writes = ${server.server_upload_1_over_fsync} (1 client), ${server.server_upload_4_over_fsync} (4 clients)`);
  console.log(`  upload / same server on in-memory stores = ${server.server_upload_1_over_memory} (1), ${server.server_upload_4_over_memory} (4)`);
}
if (scale) printScale(scale);
else console.log(scaleSkipped);
if (ui) {
  console.log(`The app in Chromium (targets in brackets), ${ui.grid_photos} photos in the grid:`);
  console.log(`  first paint of Home, warm service worker  ${String(ui.first_paint_ms).padStart(6)} ms  (< 1000)`);
  console.log(`  open the grid, first screen drawn         ${String(ui.grid_open_ms).padStart(6)} ms  (< 1500)`);
  console.log(`  frames dropped scrolling 5 s              ${String(ui.dropped_frames_pct).padStart(6)} %   (< 5)`);
  console.log(`  initial JavaScript, gzip                  ${String(ui.initial_js_kb_gz).padStart(6)} KB  (< 150)`);
}
if (e2e) printE2e(e2e);
if (records) {
  console.log('Records (Node, in-process server), ms; import = preview + commit, as a multiple of parsing the file alone:');
  for (const [name, value] of Object.entries(records)) console.log(`  ${name.replace(/^records_/, '').padEnd(34)} ${String(value).padStart(8)}`);
}
console.log(JSON.stringify({ ...result, ...browserResult, ...serverResult, ...records, ...scale?.figures, ...ui, ...e2e }));
