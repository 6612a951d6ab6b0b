/**
 * `npm run bench`, the end-to-end part: a generated dataset (dataset.ts; KURA_BENCH_GIB, default 1)
 * backed up through the real worker pipeline (EngineService, as the app's engine worker runs it) in
 * Debian's Chromium into a local Kura server, then re-run unchanged, then restored into another
 * folder; see e2e-worker.ts for the phases. The server is the real app on the embedded backend
 * (SQLite + fsync'd files in a temp dir), in this process, answering /api in the Vite dev server
 * that serves the page (one origin, one server, as in production; no proxy hop). Chromium is
 * launched directly (never under CDP, DESIGN.md section 9). If restic is on PATH it backs up the same dataset in the same run
 * (restic.ts); otherwise the comparison is with the figures DESIGN.md section 9 quotes for it.
 *
 * MB here is MiB (2^20 bytes), as in the rest of `npm run bench`. Backup and restore rates are
 * over the dataset's bytes (duplicates included: a backup reads them); stage and backup include
 * listing the folder. upload_limit_mbps is over the envelope bytes uploaded.
 */
import { randomBytes } from 'node:crypto';
import { getRequestListener } from '@hono/node-server';
import { createApp } from '../../server/app.ts';
import { haveChromium, openInChromium } from './chromium.ts';
import { resticBench } from './restic.ts';
import { register, startServer } from '../server/harness.ts';

const MIB = 1024 * 1024;

/** What DESIGN.md section 9 quotes for restic 0.14 on this kind of machine (1.53 GB mixed folder). */
export const RESTIC_QUOTED = { backup_mbps: 186, rescan_s: 0.9, restore_mbps: 276 };
const HEAP_TARGET_MIB = 256;

/** What e2e-page.ts posts: the worker's figures and the memory peaks. */
type PageResult = Record<string, number>;

export async function e2eBench(gib: number): Promise<Record<string, number> | undefined> {
  if (!haveChromium('the end-to-end backup benchmark is')) return undefined;
  const log = (line: string) => console.error(line);
  const server = await startServer({ backend: 'embedded', config: { quotaBytes: 1e12 } });
  let w: PageResult;
  try {
    const account = await register(server);
    log(`End-to-end backup in Chromium, ${gib} GiB (progress on stderr):`);
    w = await openInChromium<PageResult>('test/bench/e2e-page.html', {
      query: { gib, heapms: Number(process.env.KURA_BENCH_HEAP_MS ?? 1000), token: account.token, device: account.deviceId, mk: randomBytes(32).toString('hex') },
      api: getRequestListener(createApp(server.deps).fetch), // the same stores, answered in the page's own server
      isolated: true,
      // measureUserAgentSpecificMemory answers at once instead of within 20 s.
      extraArgs: ['--enable-blink-features=ForceEagerMeasureMemory'],
      timeoutMinutes: 90,
      onLog: log,
    });
  } finally {
    await server.close();
  }
  const data = w.dataset_bytes! / MIB;
  const r1 = (x: number) => Math.round(x * 10) / 10;
  const r2 = (x: number) => Math.round(x * 100) / 100;
  const aes = Math.max(w.aesgcm_1mib_mbps!, w.aesgcm_256kib_mbps!);
  const backup = data / w.backup_s!;
  const uploadLimit = w.limit_bytes! / MIB / w.limit_s!;
  const restic = await resticBench(gib, log);
  const result: Record<string, number> = {
    e2e_data_mib: r1(data),
    e2e_files: w.files!,
    e2e_duplicates: w.duplicates!,
    e2e_chunks: w.chunks!,
    e2e_generate_s: r1(w.generate_s!),
    e2e_staged_mib: r1(w.staged_bytes! / MIB),
    stage_s: r1(w.stage_s!),
    backup_s: r1(w.backup_s!),
    read_s: r1(w.read_s!),
    sync_s: r1(w.sync_s!),
    restore_s: r1(w.restore_s!),
    backup_mbps: r1(backup),
    rescan_s: r2(w.rescan_s!),
    restore_mbps: r1(data / w.restore_s!),
    ...(w.peak_heap_mib != null ? { peak_heap_mib: r1(w.peak_heap_mib) } : {}),
    aesgcm_mbps: r1(aes),
    aesgcm_1mib_mbps: r1(w.aesgcm_1mib_mbps!),
    aesgcm_256kib_mbps: r1(w.aesgcm_256kib_mbps!),
    stage_mbps: r1(data / w.stage_s!),
    upload_limit_mbps: r1(uploadLimit),
    backup_over_aesgcm: Math.round((backup / aes) * 1000) / 1000,
    backup_over_upload_limit: Math.round((backup / uploadLimit) * 1000) / 1000,
  };
  for (const [k, v] of Object.entries(w)) if (/^peak_heap_.+_mib$/.test(k) && k !== 'peak_heap_mib' && v != null) result[k] = r1(v);
  if (w.heap_samples != null) result.heap_samples = w.heap_samples;
  if (w.heap_sample_ms != null) result.heap_sample_ms = r1(w.heap_sample_ms); // the mean cost of one sample
  if (restic) for (const [k, v] of Object.entries(restic)) result[k] = k.endsWith('_s') ? r2(v) : r1(v);

  return result;
}

/** Prints the end-to-end figures and the targets. */
export function printE2e(result: Record<string, number>): void {
  const line = (name: string, value: string, note = '') => console.log(`  ${name.padEnd(18)} ${value.padStart(9)}  ${note}`);
  console.log(`End-to-end backup in Chromium: ${result.e2e_data_mib} MiB, ${result.e2e_files} files (${result.e2e_duplicates} duplicates), ${result.e2e_chunks} chunks; MB = MiB`);
  line('backup', `${result.backup_mbps} MB/s`, `read ${result.read_s} s (uploading meanwhile) + ${result.sync_s} s to finish sending and commit`);
  line('rescan', `${result.rescan_s} s`, 'unchanged folder: list, compare, nothing sent');
  line('restore', `${result.restore_mbps} MB/s`, `${result.restore_s} s, into another OPFS folder`);
  line('stage (offline)', `${result.stage_mbps} MB/s`, 'read, chunk, seal, stage; no network');
  line('backup / limit', `${result.backup_over_upload_limit}`, 'the backup against the upload ceiling');
  line('upload limit', `${result.upload_limit_mbps} MB/s`, 'same envelopes as ready-made Blobs, 4 in flight, same server');
  line('AES-GCM (raw)', `${result.aesgcm_mbps} MB/s`, `WebCrypto in the worker: 1 MiB calls ${result.aesgcm_1mib_mbps}, 256 KiB calls ${result.aesgcm_256kib_mbps}`);
  line('backup / AES-GCM', `${result.backup_over_aesgcm}`);
  if (result.peak_heap_mib !== undefined) {
    const phases = Object.entries(result).filter(([k]) => /^peak_heap_(stage|backup|sync|rescan|restore)_mib$/.test(k));
    line('peak JS heap', `${result.peak_heap_mib} MiB`, `page + worker, live; ${phases.map(([k, v]) => `${k.slice(10, -4)} ${v}`).join(', ')}`);
    line('', '', `(${result.heap_samples} samples, ${result.heap_sample_ms} ms each on average)`);
  } else console.log('  peak JS heap: not measurable here (no measureUserAgentSpecificMemory)');

  const against = result.restic_backup_mbps !== undefined
    ? { label: 'restic, measured in this run', backup: result.restic_backup_mbps!, rescan: result.restic_rescan_s!, restore: result.restic_restore_mbps! }
    : { label: 'restic 0.14 as QUOTED in DESIGN.md 9 (not measured: restic is not on PATH)', backup: RESTIC_QUOTED.backup_mbps, rescan: RESTIC_QUOTED.rescan_s, restore: RESTIC_QUOTED.restore_mbps };
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(`Targets, against ${against.label}:`);
  line('backup', `${result.backup_mbps}`, `vs ${against.backup} MB/s: ${verdict(result.backup_mbps! >= against.backup)}`);
  line('restore', `${result.restore_mbps}`, `vs ${against.restore} MB/s: ${verdict(result.restore_mbps! >= against.restore)}`);
  line('rescan', `${result.rescan_s}`, `vs ${against.rescan} s (for reference)`);
  if (result.peak_heap_mib !== undefined) line('peak JS heap', `${result.peak_heap_mib}`, `vs < ${HEAP_TARGET_MIB} MiB: ${verdict(result.peak_heap_mib < HEAP_TARGET_MIB)}`);
}

