/** Freeing staged envelopes that nothing needs any more (see backup/run.ts for when it runs). */
import type { ChunkId } from '../../core/ids.ts';
import type { KuraDb } from '../db/database.ts';
import type { ChunkStaging } from './ports.ts';

/**
 * Frees what nothing needs any more, once a run has ended: staged chunks no pending commit
 * references (left by a crashed run over files that changed since, or by a cancelled one), and
 * staging files without a row (a crash between writing the bytes and recording them). Runs only
 * between backup runs, since a run writes bytes before their row.
 */
export async function sweepStaging(db: KuraDb, staging: ChunkStaging): Promise<number> {
  const referenced = new Set<ChunkId>();
  await db.outbox.each((commit) => commit.refs.forEach((id) => referenced.add(id)));
  const orphans = (await db.staged.toCollection().primaryKeys()).filter((id) => !referenced.has(id));
  for (const id of orphans) await staging.delete(id);
  await db.staged.bulkDelete(orphans);
  const swept = (await staging.sweep?.((id) => referenced.has(id as ChunkId))) ?? 0;
  return orphans.length + swept;
}
