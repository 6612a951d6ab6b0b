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
  const digests = await stageNewChunks(db, staging, chunks);
  await db.transaction('rw', db.staged, db.outbox, async () => {
    await addStagedRows(db, chunks, digests, now);
    await db.outbox.add(commit);
  });
}

/**
 * Writes the envelopes of chunks not staged yet, and returns their digests. A chunk already staged
 * keeps its envelope: sealing again gives other bytes (a fresh IV), and its row's digest, or an
 * upload under way, must keep matching what is stored. Outside any transaction (WebCrypto and
 * OPFS would end it); addStagedRows then records them inside the commit's.
 */
export async function stageNewChunks(db: KuraDb, staging: ChunkStaging, chunks: readonly NewChunk[]): Promise<Map<ChunkId, string>> {
  const digests = new Map<ChunkId, string>();
  for (const chunk of chunks) {
    if (digests.has(chunk.id) || (await db.staged.get(chunk.id))) continue;
    await staging.put(chunk.id, chunk.parts);
    digests.set(chunk.id, await sha256Base64(chunk.parts));
  }
  return digests;
}

/** The staged rows of the chunks stageNewChunks wrote, unless a row appeared meanwhile (inside a transaction on db.staged). */
export async function addStagedRows(db: KuraDb, chunks: readonly NewChunk[], digests: ReadonlyMap<ChunkId, string>, now: number): Promise<void> {
  for (const chunk of chunks) {
    const sha256 = digests.get(chunk.id);
    if (sha256 && !(await db.staged.get(chunk.id))) {
      await db.staged.add({ id: chunk.id, size: chunk.parts.reduce((n, p) => n + p.length, 0), stagedAt: now, uploaded: 0, sha256 });
    }
  }
}

/** Staged chunks no pending commit references any more: safe to free. */
export async function unreferencedStaged(db: KuraDb, candidates: readonly ChunkId[]): Promise<ChunkId[]> {
  const stillNeeded = new Set<ChunkId>();
  await db.outbox.each((commit) => commit.refs.forEach((id) => stillNeeded.add(id)));
  return candidates.filter((id) => !stillNeeded.has(id));
}
