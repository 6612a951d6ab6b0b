/**
 * `npm run gc`: reports what garbage collection would remove (a dry run), or with --delete removes
 * it. The server collects by itself every KURA_GC_INTERVAL_MINUTES; run --delete only while the
 * server is stopped, since its upload locks live in the server's process.
 */
import { loadConfig } from './config.ts';
import { collectGarbage } from './gc.ts';
import { openStores } from './setup.ts';

const config = loadConfig();
const dryRun = !process.argv.includes('--delete');
const { meta, objects } = await openStores(config);
const report = await collectGarbage({ meta, objects }, { now: Date.now(), graceMs: config.gcGraceMs, dryRun });
console.log(JSON.stringify(report, null, 2));
await meta.close();
