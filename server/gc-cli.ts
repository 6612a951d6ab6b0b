/**
 * `npm run gc`: reports what garbage collection would remove and how many deleted accounts are
 * due for the purge (a dry run), or with --delete removes them (README: "Privacy"). The server collects by itself every KURA_GC_INTERVAL_MINUTES. With the embedded store, run
 * --delete only while the server is stopped (its chunk locks live in its process); on PostgreSQL
 * the locks are the database's, and a collection already running elsewhere is not started twice.
 */
import { loadConfig } from './config.ts';
import { collectGarbage } from './gc.ts';
import { purgeDeletedAccounts } from './privacy/purge.ts';
import { openStores } from './setup.ts';

const config = loadConfig();
const dryRun = !process.argv.includes('--delete');
const { meta, objects, receiptKey } = await openStores(config);
const now = Date.now();
const report = await meta.runAlone('gc', () => collectGarbage({ meta, objects }, { now, graceMs: config.gcGraceMs, dryRun }));
console.log(report ? JSON.stringify(report, null, 2) : 'Another instance is collecting garbage right now; nothing done.');
// Deleted accounts past their retention period: counted on a dry run, purged with --delete.
const purge = await meta.runAlone('purge', () => purgeDeletedAccounts({ meta, objects }, { now, receiptKey, dryRun }));
console.log(purge ? JSON.stringify({ accountPurge: purge }, null, 2) : 'Another instance is purging deleted accounts right now; nothing done.');
await meta.close();
