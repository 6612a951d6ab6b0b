/**
 * `npm start`: builds the app if it has not been built, opens the stores in KURA_DATA_DIR (and
 * PostgreSQL when KURA_DATABASE_URL is set), sweeps leftovers of interrupted writes, and serves the
 * app and the API from one URL, printed on start. Maintenance (garbage collection, expired
 * sessions, rate-limit counters, the purge of deleted accounts, access-log retention) runs every
 * KURA_GC_INTERVAL_MINUTES.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { collectGarbage } from './gc.ts';
import { purgeDeletedAccounts } from './privacy/purge.ts';
import { openStores } from './setup.ts';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
const config = loadConfig(process.env, pkg.version);

if (!existsSync(join(config.staticDir, 'index.html')) && process.env.KURA_SKIP_BUILD !== '1') {
  console.log('Building the app (first start)…');
  const { build } = await import('vite');
  await build({ logLevel: 'warn' });
}

const { meta, objects, secret, receiptKey } = await openStores(config);
const swept = await objects.sweep();
if (swept > 0) console.log(`Removed ${swept} unfinished upload(s) left by an interrupted run.`);

const deps = { meta, objects, config, secret, receiptKey, now: Date.now };
const app = createApp(deps);

async function maintain(): Promise<void> {
  try {
    const now = Date.now();
    // One instance collects at a time; the others skip this round.
    const report = await meta.runAlone('gc', () => collectGarbage(deps, { now, graceMs: config.gcGraceMs, dryRun: false }));
    await meta.deleteExpiredSessions(now);
    await meta.pruneRateLimits(now);
    if (report && report.deleted > 0) console.log(`Garbage collection removed ${report.deleted} chunk(s), ${report.deletedBytes} bytes.`);
    // Deleted accounts past their retention period, the access log past its own, and yesterday's
    // usage-statistics markers (privacy/purge.ts, README "Privacy").
    const purge = await meta.runAlone('purge', () => purgeDeletedAccounts(deps, { now, receiptKey }));
    if (purge && purge.purged.length > 0) console.log(`Purged ${purge.purged.length} deleted account(s); receipts: ${purge.purged.map((p) => p.receiptId).join(', ')}`);
    await meta.privacy.pruneAccessLog(now - config.privacy.accessLogRetentionDays * 86_400_000);
    await meta.privacy.pruneStatsMarkers(new Date(now).toISOString().slice(0, 10));
  } catch (e) {
    console.error('maintenance failed:', e);
  }
}
const maintenance = setInterval(maintain, config.gcIntervalMs);
maintenance.unref();

const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  console.log(`Kura ${pkg.version} is running at http://${host}:${info.port}/ (data in ${config.dataDir})`);
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    clearInterval(maintenance);
    server.close(() => {
      void meta.close().then(() => process.exit(0));
    });
  });
}
