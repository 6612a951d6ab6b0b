/**
 * Garbage collection of chunk envelopes no snapshot references (DESIGN.md section 7).
 *
 * A chunk is collected only when it is referenced by no committed snapshot and both its upload and
 * its last release (the deletion of a snapshot that referenced it) are older than the grace period:
 * chunks of a backup still uploading (not yet committed) are young, so they stay. Each deletion
 * re-checks under the chunk's lock (shared by every instance on the store) in one transaction, so a commit or an upload racing the
 * collector wins: the commit's references make the chunk ineligible, and an upload of the same
 * chunk waits for the lock. The row goes first, then the file (deletes in reverse of writes): a
 * crash between leaves an orphan file, never a row without its bytes.
 */
import type { MetaStore, ObjectStore } from './storage/ports.ts';

export interface GcReport {
  readonly dryRun: boolean;
  /** Chunks eligible when the run started. */
  readonly candidates: number;
  readonly candidateBytes: number;
  readonly deleted: number;
  readonly deletedBytes: number;
}

export interface GcOptions {
  readonly now: number;
  readonly graceMs: number;
  readonly dryRun: boolean;
  readonly batch?: number;
}

export async function collectGarbage(
  stores: { meta: MetaStore; objects: ObjectStore },
  options: GcOptions,
): Promise<GcReport> {
  const before = options.now - options.graceMs;
  const batch = options.batch ?? 1000;
  let candidates = 0;
  let candidateBytes = 0;
  let deleted = 0;
  let deletedBytes = 0;

  if (options.dryRun) {
    for (const c of await stores.meta.gcCandidates(before, Number.MAX_SAFE_INTEGER)) {
      candidates++;
      candidateBytes += c.size;
    }
    return { dryRun: true, candidates, candidateBytes, deleted, deletedBytes };
  }

  const seen = new Set<string>();
  // Suspended and deleted-pending accounts' chunks are not candidates (the stores leave them out),
  // so they can never fill a batch and stall the collection of everyone else's.
  for (;;) {
    const found = (await stores.meta.gcCandidates(before, batch)).filter((c) => !seen.has(`${c.accountId}/${c.id}`));
    if (found.length === 0) break;
    for (const c of found) {
      const key = `${c.accountId}/${c.id}`;
      seen.add(key);
      candidates++;
      candidateBytes += c.size;
      await stores.meta.withChunkLock(c.accountId, c.id, async () => {
        if (!(await stores.meta.deleteIfUnreferenced(c.accountId, c.id, before))) return;
        await stores.objects.delete(c.accountId, c.id);
        deleted++;
        deletedBytes += c.size;
      });
    }
  }
  return { dryRun: false, candidates, candidateBytes, deleted, deletedBytes };
}
