/**
 * Chunks as the server stores them: an envelope under the chunk key, bound to the chunk id.
 * open re-derives the id from the decrypted bytes, so a chunk is accepted only if it is exactly
 * the content its id names.
 */
import { concatBytes, type Bytes } from '../bytes.ts';
import { KuraError } from '../errors.ts';
import { idBytes, type ChunkId } from '../ids.ts';
import { chunkIdOf } from './chunkid.ts';
import { openEnvelope, sealEnvelopeParts, type SealOptions } from './envelope.ts';
import type { AccountKeys } from './subkeys.ts';

export interface SealedChunk {
  readonly id: ChunkId;
  readonly envelope: Bytes;
}

type ChunkKeys = Pick<AccountKeys, 'chunkId' | 'chunk'>;

export async function sealChunk(keys: ChunkKeys, plaintext: Bytes, options?: SealOptions): Promise<SealedChunk> {
  const id = await chunkIdOf(keys.chunkId, plaintext);
  return { id, envelope: concatBytes(...(await sealChunkParts(keys, id, plaintext, options))) };
}

/**
 * Seals with an id the caller already computed (the pipeline checks dedup in between), returning
 * the envelope in parts (see sealEnvelopeParts).
 */
export function sealChunkParts(keys: ChunkKeys, id: ChunkId, plaintext: Bytes, options?: SealOptions): Promise<Bytes[]> {
  return sealEnvelopeParts({ key: keys.chunk, purpose: 'chunk', binding: idBytes(id) }, plaintext, options);
}

export async function openChunk(keys: ChunkKeys, id: ChunkId, envelope: Bytes): Promise<Bytes> {
  const plaintext = await openEnvelope({ key: keys.chunk, purpose: 'chunk', binding: idBytes(id) }, envelope);
  if ((await chunkIdOf(keys.chunkId, plaintext)) !== id) {
    throw new KuraError('chunk-id-mismatch', { id });
  }
  return plaintext;
}

type ThumbKeys = Pick<AccountKeys, 'chunkId' | 'thumbs'>;

/**
 * Thumbnails are chunks of their own, sealed under the thumbs key as 'thumb' envelopes: a device
 * that only browses fetches and opens these, never the originals.
 */
export async function sealThumbParts(keys: ThumbKeys, image: Bytes): Promise<{ id: ChunkId; parts: Bytes[] }> {
  const id = await chunkIdOf(keys.chunkId, image);
  return { id, parts: await sealEnvelopeParts({ key: keys.thumbs, purpose: 'thumb', binding: idBytes(id) }, image) };
}

export async function openThumb(keys: ThumbKeys, id: ChunkId, envelope: Bytes): Promise<Bytes> {
  const image = await openEnvelope({ key: keys.thumbs, purpose: 'thumb', binding: idBytes(id) }, envelope);
  if ((await chunkIdOf(keys.chunkId, image)) !== id) throw new KuraError('chunk-id-mismatch', { id });
  return image;
}
