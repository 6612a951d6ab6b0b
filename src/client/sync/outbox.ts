/**
 * Putting a finished backup run into the outbox: its new chunk envelopes into staging, then, in
 * one transaction, their rows and the sealed commit. Bytes before metadata (DESIGN.md section 5):
 * a crash in between leaves unreferenced staged bytes, never a commit whose chunks are not staged.
 */
import type { Bytes } from '../../core/bytes.ts';
import type { ChunkId } from '../../core/ids.ts';
import { sha256Base64 } from '../api/client.ts';
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
  // A chunk already staged keeps its envelope: sealing again gives other bytes (a fresh IV), and
  // its row's digest, or an upload under way, must keep matching what is stored.
  const digests = new Map<ChunkId, string>();
  for (const chunk of chunks) {
    if (digests.has(chunk.id) || (await db.staged.get(chunk.id))) continue;
    await staging.put(chunk.id, chunk.parts);
    digests.set(chunk.id, await sha256Base64(chunk.parts));
  }
  await db.transaction('rw', db.staged, db.outbox, async () => {
    for (const chunk of chunks) {
      const sha256 = digests.get(chunk.id);
      if (sha256 && !(await db.staged.get(chunk.id))) {
        await db.staged.add({ id: chunk.id, size: chunk.parts.reduce((n, p) => n + p.length, 0), stagedAt: now, uploaded: 0, sha256 });
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
