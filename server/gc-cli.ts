/**
 * `npm run gc`: reports what garbage collection would remove (a dry run), or with --delete removes
 * it. The server collects by itself every KURA_GC_INTERVAL_MINUTES. With the embedded store, run
 * --delete only while the server is stopped (its chunk locks live in its process); on PostgreSQL
 * the locks are the database's, and a collection already running elsewhere is not started twice.
 */
import { loadConfig } from './config.ts';
import { collectGarbage } from './gc.ts';
import { openStores } from './setup.ts';

const config = loadConfig();
const dryRun = !process.argv.includes('--delete');
const { meta, objects } = await openStores(config);
const report = await meta.runAlone('gc', () => collectGarbage({ meta, objects }, { now: Date.now(), graceMs: config.gcGraceMs, dryRun }));
console.log(report ? JSON.stringify(report, null, 2) : 'Another instance is collecting garbage right now; nothing done.');
await meta.close();
