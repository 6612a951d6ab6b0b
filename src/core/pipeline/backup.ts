/**
 * The backup path for one file, as a pure function over its byte stream:
 * chunk (FastCDC) → id (HMAC) → seal (envelope), yielding each sealed chunk in file order, then the
 * manifest entry for the file. Workers run this; staging and upload are the caller's business.
 *
 * Chunks are processed `concurrency` at a time so hashing and sealing (WebCrypto, off the main
 * thread in Node and in the browser's crypto thread) overlap with chunking (plain JS).
 */
import type { Bytes } from '../bytes.ts';
import { sealChunkParts } from '../crypto/chunk.ts';
import { chunkIdOf, fileHashOf } from '../crypto/chunkid.ts';
import type { SealOptions } from '../crypto/envelope.ts';
import type { AccountKeys } from '../crypto/subkeys.ts';
import { chunkStream, type Chunk } from '../chunking/stream.ts';
import type { ChunkingParams } from '../chunking/params.ts';
import { KuraError } from '../errors.ts';
import type { ChunkId } from '../ids.ts';
import type { FileEntry } from '../manifest/snapshot.ts';
import type { ByteSource } from '../streams.ts';

export type BackupKeys = Pick<AccountKeys, 'chunkId' | 'chunk' | 'fileHash' | 'gear'>;

export interface FileMeta {
  readonly path: string;
  readonly lastModified: number;
  readonly type: string;
  /** The size the file had when listed; a different byte count means it changed while read. */
  readonly size?: number;
  readonly thumb?: ChunkId;
}

export interface BackupOptions extends SealOptions {
  readonly chunking?: ChunkingParams;
  /** Chunks hashed and sealed at once (default 4). */
  readonly concurrency?: number;
  /** True when the account already holds this chunk (staged or uploaded): it is not sealed again. */
  readonly isKnown?: (id: ChunkId) => boolean | Promise<boolean>;
}

export type BackupItem =
  /**
   * `envelope` is the sealed chunk in parts, to be written or uploaded in order (joining them is
   * left to a caller that must); null when the chunk needs no upload: already known, or earlier in
   * this file.
   */
  | { readonly kind: 'chunk'; readonly id: ChunkId; readonly plainSize: number; readonly envelope: readonly Bytes[] | null }
  | { readonly kind: 'file'; readonly entry: FileEntry };

export async function* sealFile(
  source: ByteSource,
  keys: BackupKeys,
  meta: FileMeta,
  options: BackupOptions = {},
): AsyncGenerator<BackupItem> {
  const concurrency = options.concurrency ?? 4;
  const seen = new Set<ChunkId>();
  const ids: ChunkId[] = [];
  let size = 0;

  const sealOne = async (chunk: Chunk): Promise<BackupItem> => {
    const plainSize = chunk.bytes.length;
    const id = await chunkIdOf(keys.chunkId, chunk.bytes);
    // Checked and marked in one synchronous step, so two equal chunks in flight seal once.
    const fresh = !seen.has(id);
    seen.add(id);
    const known = !fresh || ((await options.isKnown?.(id)) ?? false);
    const envelope = known ? null : await sealChunkParts(keys, id, chunk.bytes, options);
    return { kind: 'chunk', id, plainSize, envelope };
  };

  const pending: Promise<BackupItem>[] = [];
  const take = async (): Promise<BackupItem> => {
    const item = (await pending.shift()!) as Extract<BackupItem, { kind: 'chunk' }>;
    ids.push(item.id);
    return item;
  };

  // retain: every chunk in flight keeps its borrowed buffer (see [Note: Borrowed chunk buffers]).
  for await (const chunk of chunkStream(source, keys.gear, {
    retain: concurrency + 1,
    ...(options.chunking ? { params: options.chunking } : {}),
  })) {
    size += chunk.bytes.length;
    const job = sealOne(chunk);
    job.catch(() => undefined); // rejections surface when the job is awaited in order
    pending.push(job);
    if (pending.length >= concurrency) yield await take();
  }
  while (pending.length > 0) yield await take();

  if (meta.size !== undefined && meta.size !== size) {
    throw new KuraError('source-changed', { path: meta.path, listed: meta.size, read: size });
  }
  const entry: FileEntry = {
    path: meta.path,
    size,
    lastModified: meta.lastModified,
    type: meta.type,
    chunks: ids,
    hash: await fileHashOf(keys.fileHash, size, ids),
    ...(meta.thumb ? { thumb: meta.thumb } : {}),
  };
  yield { kind: 'file', entry };
}
