/**
 * The account purge: accounts deleted-pending whose retention period has passed lose every row
 * and every object, and a signed receipt takes their place. Runs with garbage collection (main.ts,
 * every KURA_GC_INTERVAL_MINUTES) and from `npm run gc`.
 *
 * Objects go first, then the rows in one transaction with the receipt: a crash between leaves the
 * account's rows with no objects, and the next run finishes it (deleting absent objects is fine).
 * Nobody can upload meanwhile: a pending account has no sessions.
 */
import type { KeyObject } from 'node:crypto';
import type { MetaStore, ObjectStore } from '../storage/ports.ts';
import { sealReceipt } from './receipts.ts';

export interface PurgeReport {
  readonly due: number;
  readonly purged: { readonly receiptId: string; readonly objects: number }[];
}

export async function purgeDeletedAccounts(
  stores: { meta: MetaStore; objects: ObjectStore },
  options: { now: number; receiptKey: KeyObject; dryRun?: boolean },
): Promise<PurgeReport> {
  const due = await stores.meta.privacy.dueForPurge(options.now);
  if (options.dryRun) return { due: due.length, purged: [] };
  const purged: PurgeReport['purged'][number][] = [];
  for (const account of due) {
    const objects = await stores.objects.deleteAccount(account.id);
    const counts = await stores.meta.privacy.purgeAccount(account.id, (c) => sealReceipt(options.receiptKey, account, { ...c, objects }, options.now));
    if (counts) purged.push({ receiptId: account.deletion!.receiptId, objects });
  }
  return { due: due.length, purged };
}
