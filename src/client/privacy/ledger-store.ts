/**
 * The device's copy of the consent ledger and its usage counters, in `db.settings`. The ledger is
 * kept as the server returned it (so `verifyChain` checks the very entries the server chained);
 * offline, the privacy center reads it from here, and the statistics sender checks it before it
 * sends anything.
 */
import type { ConsentEntry } from '../../core/policy/ledger.ts';
import { countRun, EMPTY_COUNTERS, type UsageCounters } from '../../core/policy/usage.ts';
import { isGranted } from '../../core/policy/ledger.ts';
import type { FileSource } from '../backup/source.ts';
import type { KuraDb } from '../db/database.ts';

export const LEDGER_KEY = 'consent-ledger';
export const USAGE_KEY = 'usage-statistics';

export interface StoredUsage {
  readonly counters: UsageCounters;
  readonly lastSentAt?: number;
}

export async function localLedger(db: KuraDb): Promise<ConsentEntry[]> {
  return ((await db.settings.get(LEDGER_KEY))?.value as ConsentEntry[] | undefined) ?? [];
}

export async function keepLedger(db: KuraDb, entries: readonly ConsentEntry[]): Promise<void> {
  await db.settings.put({ key: LEDGER_KEY, value: [...entries] });
}

export async function storedUsage(db: KuraDb): Promise<StoredUsage> {
  return ((await db.settings.get(USAGE_KEY))?.value as StoredUsage | undefined) ?? { counters: EMPTY_COUNTERS };
}

export async function keepUsage(db: KuraDb, usage: StoredUsage): Promise<void> {
  await db.settings.put({ key: USAGE_KEY, value: usage });
}

/** A source that notes each listed file's size (the size classes of the usage statistics). */
export function measuredSource(source: FileSource, sizes: number[]): FileSource {
  return {
    id: source.id,
    async *list(onFailure) {
      for await (const file of source.list(onFailure)) {
        sizes.push(file.size);
        yield file;
      }
    },
  };
}

/**
 * A backup run ended (done, failed or cancelled): counted only while this device's ledger grants
 * usage statistics, so nothing is even gathered for a user who did not opt in.
 */
export async function countBackupRun(db: KuraDb, run: { readonly sizes: readonly number[]; readonly errors: readonly string[] }): Promise<void> {
  if (!isGranted(await localLedger(db), 'usage-statistics')) return;
  const usage = await storedUsage(db);
  await keepUsage(db, { ...usage, counters: countRun(usage.counters, run) });
}

/** Counts one backup run for the usage statistics: its files as listed, its end (result or error). */
export function runCounter(db: KuraDb, source: FileSource) {
  const sizes: number[] = [];
  const count = (errors: readonly string[]) => countBackupRun(db, { sizes, errors }).catch(() => undefined);
  return {
    source: measuredSource(source, sizes),
    async ended<T extends { readonly failures: readonly { readonly code: string }[] }>(run: Promise<T>): Promise<T> {
      try {
        const result = await run;
        await count(result.failures.map((f) => f.code));
        return result;
      } catch (e) {
        await count([typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : 'unknown']);
        throw e;
      }
    },
  };
}
