/**
 * Putting a finished backup run into the outbox: its new chunk envelopes into staging, then, in
 * one transaction, their rows and the sealed commit. Bytes before metadata (DESIGN.md section 5):
 * a crash in between leaves unreferenced staged bytes, never a commit whose chunks are not staged.
 */
import type { Bytes } from '../../core/bytes.ts';
import type { ChunkId } from '../../core/ids.ts';
import type { KuraDb, OutboxCommit } from '../db/database.ts';
import type { ChunkStaging } from '../staging/ports.ts';

export interface NewChunk {
  readonly id: ChunkId;
  readonly parts: readonly Bytes[];
}

export async function enqueueCommit(
  db: KuraDb,
  staging: ChunkStaging,
  commit: OutboxCommit,
  chunks: readonly NewChunk[],
  now: number,
): Promise<void> {
  for (const chunk of chunks) await staging.put(chunk.id, chunk.parts);
  await db.transaction('rw', db.staged, db.outbox, async () => {
    for (const chunk of chunks) {
      const known = await db.staged.get(chunk.id);
      if (!known) {
        await db.staged.add({ id: chunk.id, size: chunk.parts.reduce((n, p) => n + p.length, 0), stagedAt: now, uploaded: 0 });
      }
    }
    await db.outbox.add(commit);
  });
}

/** Staged chunks no pending commit references any more: safe to free. */
export async function unreferencedStaged(db: KuraDb, candidates: readonly ChunkId[]): Promise<ChunkId[]> {
  const stillNeeded = new Set<ChunkId>();
  await db.outbox.each((commit) => commit.refs.forEach((id) => stillNeeded.add(id)));
  return candidates.filter((id) => !stillNeeded.has(id));
}
