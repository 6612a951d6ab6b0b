/**
 * The restore path for one file: fetch each chunk's envelope, open it (which re-checks the chunk
 * id), yield the plaintext in order, and at the end verify the size and the keyed whole-file hash
 * against the manifest entry. A caller writing to disk must treat the file as unverified until the
 * generator finishes without throwing.
 */
import type { Bytes } from '../bytes.ts';
import { openChunk } from '../crypto/chunk.ts';
import { fileHashOf } from '../crypto/chunkid.ts';
import type { AccountKeys } from '../crypto/subkeys.ts';
import { KuraError } from '../errors.ts';
import type { ChunkId } from '../ids.ts';
import type { FileEntry } from '../manifest/snapshot.ts';

export type RestoreKeys = Pick<AccountKeys, 'chunkId' | 'chunk' | 'fileHash'>;
export type FetchEnvelope = (id: ChunkId) => Promise<Bytes>;

export interface RestoreOptions {
  /** Chunks fetched and opened ahead of the one being yielded (default 4). */
  readonly concurrency?: number;
}

export async function* openFile(
  entry: FileEntry,
  keys: RestoreKeys,
  fetchEnvelope: FetchEnvelope,
  options: RestoreOptions = {},
): AsyncGenerator<Bytes> {
  const concurrency = options.concurrency ?? 4;
  const pending: Promise<Bytes>[] = [];
  let next = 0;
  const fill = (): void => {
    while (pending.length < concurrency && next < entry.chunks.length) {
      const id = entry.chunks[next++]!;
      const job = fetchEnvelope(id).then((envelope) => openChunk(keys, id, envelope));
      job.catch(() => undefined); // surfaced in order below
      pending.push(job);
    }
  };

  let size = 0;
  fill();
  while (pending.length > 0) {
    const plain = await pending.shift()!;
    fill();
    size += plain.length;
    yield plain;
  }
  if (size !== entry.size) {
    throw new KuraError('restore-size-mismatch', { path: entry.path, expected: entry.size, found: size });
  }
  if ((await fileHashOf(keys.fileHash, size, entry.chunks)) !== entry.hash) {
    throw new KuraError('restore-hash-mismatch', { path: entry.path });
  }
}
