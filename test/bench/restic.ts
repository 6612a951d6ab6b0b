/**
 * restic over the same dataset, in the same run, when `restic` is on PATH: the dataset is made on
 * disk (dataset.ts, byte for byte what the Chromium worker makes in OPFS), then `restic init`,
 * `restic backup` (timed), `restic backup` again over the unchanged folder (the rescan) and
 * `restic restore latest` into another folder (timed), all in a temp directory with its own cache.
 * Without restic, undefined: e2e.ts then compares with the figures DESIGN.md section 9 quotes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { datasetBytes, datasetFiles, generateFile } from './dataset.ts';

const MIB = 1024 * 1024;

export function haveRestic(): boolean {
  const probe = spawnSync('restic', ['version'], { stdio: 'ignore' });
  return !probe.error && probe.status === 0;
}

function restic(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    let stderr = '';
    const child = spawn('restic', ['--quiet', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve((performance.now() - start) / 1000) : reject(new Error(`restic ${args[0]} exited ${code}: ${stderr}`))));
  });
}

export async function resticBench(gib: number, log: (line: string) => void): Promise<Record<string, number> | undefined> {
  if (!haveRestic()) return undefined;
  const scratch = mkdtempSync(join(tmpdir(), 'kura-bench-restic-'));
  try {
    const files = datasetFiles(gib);
    const total = datasetBytes(files);
    const source = join(scratch, 'source');
    log('  restic: generating the dataset on disk...');
    const buffer = new Uint8Array(MIB);
    for (const file of files) {
      const path = join(source, file.path);
      mkdirSync(dirname(path), { recursive: true });
      const fd = openSync(path, 'w');
      try {
        generateFile(file, buffer, (bytes, at) => void writeSync(fd, bytes, 0, bytes.length, at));
      } finally {
        closeSync(fd);
      }
    }
    const env = { ...process.env, RESTIC_REPOSITORY: join(scratch, 'repo'), RESTIC_PASSWORD: 'kura-bench', RESTIC_CACHE_DIR: join(scratch, 'cache') };
    await restic(['init'], env);
    log('  restic: backup...');
    const backup = await restic(['backup', '--host', 'kura-bench', source], env);
    log('  restic: rescan...');
    const rescan = await restic(['backup', '--host', 'kura-bench', source], env);
    log('  restic: restore...');
    const restore = await restic(['restore', 'latest', '--target', join(scratch, 'restored')], env);
    return {
      restic_backup_mbps: total / MIB / backup,
      restic_rescan_s: rescan,
      restic_restore_mbps: total / MIB / restore,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
  }
}
