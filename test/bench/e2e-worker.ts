/**
 * The end-to-end backup benchmark inside a Chromium module worker (started by e2e-page.html, which
 * test/bench/e2e.ts opens in a Chromium launched directly, not under DevTools: DESIGN.md section 9).
 *
 * Phases, each timed on its own (the page samples memory meanwhile; `phase` messages tell it which):
 *   generate  the dataset (dataset.ts) into an OPFS folder standing in for a picked one, through
 *             sync access handles and one reused 1 MiB buffer. Not part of any figure.
 *   aesgcm    raw WebCrypto AES-256-GCM over a reused 16 MiB buffer, 1 MiB and 256 KiB calls (the
 *             pipeline's segment size), one at a time and 4 in flight: the best is the baseline.
 *   stage     EngineService.backupFolder: list, read, chunk, seal, stage in OPFS; no network.
 *   limit     the staged envelopes, as ready-made file-backed Blobs, PUT to the same server under
 *             fresh ids with 4 in flight (the sync engine's concurrency), digests made beforehand:
 *             the upload ceiling of this browser and server, for the same bytes.
 *   sync      EngineService.sync: missing query, upload of the staged envelopes, commit.
 *   rescan    backupFolder again over the unchanged folder, then sync: nothing may be sent.
 *   restore   browse.ts allSnapshots + manifestOf, restoreToFolder into another OPFS folder with
 *             api.getChunk, as a second device would; a few files are then compared byte for byte.
 * The worker runs the same EngineService code the app's Comlink worker exposes.
 */
import { createSHA256 } from 'hash-wasm';
import { allSnapshots, manifestOf } from '../../src/client/browse.ts';
import { ApiClient } from '../../src/client/api/client.ts';
import { KuraDb } from '../../src/client/db/database.ts';
import { EngineService } from '../../src/client/engine/service.ts';
import { restoreToFolder } from '../../src/client/restore/to-folder.ts';
import { deriveAccountKeys } from '../../src/core/crypto/subkeys.ts';
import type { DeviceId } from '../../src/core/ids.ts';
import { API_PREFIX, contentDigestHeader } from '../../src/core/protocol.ts';
import { datasetBytes, datasetFiles, generateFile, type DatasetFile } from './dataset.ts';

const MIB = 1024 * 1024;
const params = new URLSearchParams(self.location.search);
const GIB = Number(params.get('gib') ?? 1);
const TOKEN = params.get('token')!;
const DEVICE = params.get('device') as DeviceId;
const MASTER_KEY = Uint8Array.from(params.get('mk')!.match(/../g)!.map((h) => parseInt(h, 16)));
const AES_MIB = 128;
const CONCURRENCY = 4;
const OFFLINE_STAGING = 'kura-staging-offline';

interface SyncAccessHandle {
  write(buffer: BufferSource, options?: { at?: number }): number;
  read(buffer: BufferSource, options?: { at?: number }): number;
  flush(): void;
  close(): void;
}
const syncHandle = (h: FileSystemFileHandle) => (h as unknown as { createSyncAccessHandle(): Promise<SyncAccessHandle> }).createSyncAccessHandle();

const log = (line: string) => void fetch('/__bench/log', { method: 'POST', body: line });
const phase = (name: string) => {
  postMessage({ phase: name });
  log(`  ${name}...`);
};
/** A progress line at most every 15 s. */
function throttled(): (line: () => string) => void {
  let last = performance.now();
  return (line) => {
    if (performance.now() - last < 15_000) return;
    last = performance.now();
    log(`    ${line()}`);
  };
}
const seconds = (start: number) => (performance.now() - start) / 1000;
const mib = (bytes: number) => (bytes / MIB).toFixed(0);

async function dirOf(root: FileSystemDirectoryHandle, path: string, create: boolean): Promise<[FileSystemDirectoryHandle, string]> {
  const parts = path.split('/');
  let dir = root;
  for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, { create });
  return [dir, parts.at(-1)!];
}

async function generate(root: FileSystemDirectoryHandle, files: readonly DatasetFile[]): Promise<void> {
  const buffer = new Uint8Array(MIB);
  for (const file of files) {
    const [dir, name] = await dirOf(root, file.path, true);
    const access = await syncHandle(await dir.getFileHandle(name, { create: true }));
    try {
      generateFile(file, buffer, (bytes, at) => access.write(bytes, { at }));
      access.flush();
    } finally {
      access.close();
    }
  }
}

async function aesgcm(): Promise<Record<string, number>> {
  const key = await crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(32)), 'AES-GCM', false, ['encrypt']);
  const data = new Uint8Array(16 * MIB);
  for (let at = 0; at < data.length; at += 65536) crypto.getRandomValues(data.subarray(at, at + 65536));
  const iv = new Uint8Array(12);
  const run = async (size: number, depth: number) => {
    const inFlight = new Set<Promise<unknown>>();
    const start = performance.now();
    for (let done = 0; done < AES_MIB * MIB; done += size) {
      const at = done % data.length;
      const p: Promise<unknown> = crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, data.subarray(at, at + size)).then(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= depth) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    return AES_MIB / seconds(start);
  };
  const samples: Record<string, number[]> = {};
  for (let round = 0; round < 3; round++) {
    for (const [name, size, depth] of [
      ['1mib_seq', MIB, 1],
      ['1mib_par', MIB, CONCURRENCY],
      ['256kib_seq', 256 * 1024, 1],
      ['256kib_par', 256 * 1024, CONCURRENCY],
    ] as const) {
      (samples[name] ??= []).push(await run(size, depth));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
  return Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, median(xs)]));
}

/** The staged envelopes PUT as they lie in OPFS (file-backed Blobs), under fresh ids. */
async function uploadLimit(): Promise<{ bytes: number; count: number; seconds: number }> {
  const staging = await (await navigator.storage.getDirectory()).getDirectoryHandle(OFFLINE_STAGING);
  const bodies: { file: File; digest: string; id: string }[] = [];
  for await (const [name, handle] of staging.entries()) {
    if (handle.kind !== 'file' || name.endsWith('.part')) continue;
    const file = await (handle as FileSystemFileHandle).getFile();
    const sha = await createSHA256();
    sha.update(new Uint8Array(await file.arrayBuffer()));
    const digest = contentDigestHeader(btoa(String.fromCharCode(...sha.digest('binary'))));
    const id = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');
    bodies.push({ file, digest, id });
  }
  let next = 0;
  let bytes = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const { file, digest, id } = bodies[next++]!;
        const res = await fetch(`${API_PREFIX}/chunks/${id}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/octet-stream', 'content-digest': digest },
          body: file,
        });
        if (res.status !== 201) throw new Error(`upload-limit PUT answered ${res.status}: ${await res.text()}`);
        bytes += file.size;
      }
    }),
  );
  return { bytes, count: bodies.length, seconds: seconds(start) };
}

/** Compares restored files with freshly generated bytes. */
async function verify(root: FileSystemDirectoryHandle, files: readonly DatasetFile[]): Promise<void> {
  const buffer = new Uint8Array(MIB);
  const got = new Uint8Array(MIB);
  for (const file of files) {
    const [dir, name] = await dirOf(root, file.path, false);
    const access = await syncHandle(await dir.getFileHandle(name));
    try {
      generateFile(file, buffer, (bytes, at) => {
        const n = access.read(got.subarray(0, bytes.length), { at });
        if (n !== bytes.length || got.subarray(0, n).some((b, i) => b !== bytes[i])) throw new Error(`restored ${file.path} differs at ${at}`);
      });
    } finally {
      access.close();
    }
  }
}

async function run(): Promise<Record<string, number | string>> {
  const files = datasetFiles(GIB);
  const total = datasetBytes(files);
  const root = await navigator.storage.getDirectory();
  const picked = await root.getDirectoryHandle('bench-source', { create: true });

  phase('generate');
  let start = performance.now();
  await generate(picked, files);
  const generateSeconds = seconds(start);
  log(`    ${files.length} files, ${mib(total)} MiB in ${generateSeconds.toFixed(1)} s`);

  phase('aesgcm');
  const aes = await aesgcm();

  // Staging alone, timed with no network: a second engine on its own database and staging folder,
  // its uploads ahead of the commit turned off. Its envelopes then measure the upload ceiling.
  const offline = new EngineService();
  await offline.open({ origin: self.location.origin, token: TOKEN, deviceId: DEVICE, masterKey: MASTER_KEY, dbName: 'kura-bench-offline', stagingName: OFFLINE_STAGING, uploadAhead: false });
  phase('stage');
  const stageProgress = throttled();
  start = performance.now();
  const staged = await offline.backupFolder('bench', 'Bench', picked, (p) =>
    stageProgress(() => `${mib(p.bytesDone)} of ${mib(p.bytesTotal)} MiB, ${p.filesDone} of ${p.filesTotal} files, ${(p.rate / MIB).toFixed(1)} MiB/s`),
  );
  const stageSeconds = seconds(start);
  if (staged.failures.length > 0 || staged.files !== files.length) throw new Error(`backup: ${staged.files} files, failures ${JSON.stringify(staged.failures.slice(0, 3))}`);
  const pending = await offline.pending();
  log(`    ${staged.newChunks} chunks, ${mib(pending.stagedBytes)} MiB staged in ${stageSeconds.toFixed(1)} s`);

  phase('limit');
  const limit = await uploadLimit();
  log(`    ${limit.count} envelopes, ${mib(limit.bytes)} MiB in ${limit.seconds.toFixed(1)} s`);
  offline.close();
  await root.removeEntry(OFFLINE_STAGING, { recursive: true });

  // The backup as the app runs it: reading and uploading overlap; then the sync commits.
  const engine = new EngineService();
  await engine.open({ origin: self.location.origin, token: TOKEN, deviceId: DEVICE, masterKey: MASTER_KEY });
  phase('backup');
  const backupProgress = throttled();
  start = performance.now();
  const backup = await engine.backupFolder('bench', 'Bench', picked, (p) =>
    backupProgress(() => `${mib(p.bytesDone)} of ${mib(p.bytesTotal)} MiB read, ${p.filesDone} of ${p.filesTotal} files`),
  );
  const readSeconds = seconds(start);
  if (backup.failures.length > 0 || backup.files !== files.length) throw new Error(`backup: ${backup.files} files, failures ${JSON.stringify(backup.failures.slice(0, 3))}`);
  phase('sync');
  const syncProgress = throttled();
  const syncStart = performance.now();
  const synced = await engine.sync((s) => {
    if (s.kind === 'uploading') syncProgress(() => `${s.chunksDone} of ${s.chunksTotal} chunks, ${mib(s.bytesDone)} of ${mib(s.bytesTotal)} MiB`);
  });
  const syncSeconds = seconds(syncStart);
  const backupSeconds = seconds(start);
  if (synced.kind !== 'in-sync') throw new Error(`sync ended ${JSON.stringify(synced)}`);
  log(`    read and sent ahead in ${readSeconds.toFixed(1)} s, then the rest and the commit in ${syncSeconds.toFixed(1)} s`);

  phase('rescan');
  start = performance.now();
  const again = await engine.backupFolder('bench', 'Bench', picked);
  const resynced = await engine.sync();
  const rescanSeconds = seconds(start);
  if (again.snapshotId !== undefined || again.bytesRead !== 0 || resynced.kind !== 'in-sync') throw new Error(`the re-run did work: ${JSON.stringify(again)}`);

  phase('restore');
  const keys = await deriveAccountKeys(new Uint8Array(MASTER_KEY));
  const db = new KuraDb('kura-bench-restore'); // another device's database: its own rollback marks
  await db.open();
  const api = new ApiClient({ origin: self.location.origin, token: TOKEN });
  const target = await root.getDirectoryHandle('bench-restored', { create: true });
  const restoreProgress = throttled();
  let restoredBytes = 0;
  let restoredFiles = 0;
  start = performance.now();
  const [newest] = await allSnapshots(api, db, keys);
  const manifest = await manifestOf(api, keys, newest!.id);
  const results = await restoreToFolder(target, manifest.entries, {
    keys,
    fetchEnvelope: (id) => api.getChunk(id),
    collision: 'overwrite',
    onFile: (r, i, n) => {
      restoredBytes += manifest.entries[i]!.size;
      restoreProgress(() => `${++restoredFiles} of ${n} files, ${mib(restoredBytes)} MiB`);
    },
  });
  const restoreSeconds = seconds(start);
  const failed = results.filter((r) => r.status !== 'restored');
  if (failed.length > 0 || results.length !== files.length || restoredBytes !== total) throw new Error(`restore: ${failed.length} failed, e.g. ${JSON.stringify(failed.slice(0, 3))}`);
  phase('verify');
  const sample = [files[0]!, files.find((f) => f.path.startsWith('photos/'))!, files.find((f) => f.path.startsWith('documents/'))!, ...files.filter((f) => f.duplicateOf).slice(0, 2)];
  await verify(target, sample);

  return {
    files: files.length,
    dataset_bytes: total,
    duplicates: files.filter((f) => f.duplicateOf).length,
    generate_s: generateSeconds,
    aesgcm_1mib_mbps: Math.max(aes['1mib_seq']!, aes['1mib_par']!),
    aesgcm_256kib_mbps: Math.max(aes['256kib_seq']!, aes['256kib_par']!),
    aesgcm_seq_mbps: Math.max(aes['1mib_seq']!, aes['256kib_seq']!),
    aesgcm_par_mbps: Math.max(aes['1mib_par']!, aes['256kib_par']!),
    chunks: staged.newChunks,
    staged_bytes: pending.stagedBytes,
    stage_s: stageSeconds,
    backup_s: backupSeconds,
    read_s: readSeconds,
    limit_bytes: limit.bytes,
    limit_s: limit.seconds,
    sync_s: syncSeconds,
    rescan_s: rescanSeconds,
    restore_s: restoreSeconds,
  };
}

run().then(
  (result) => postMessage({ result }),
  (error: unknown) => postMessage({ error: error instanceof Error ? `${error.stack ?? error}` : JSON.stringify(error) }),
);
