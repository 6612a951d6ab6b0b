/**
 * Keyed ids. A chunk id is HMAC-SHA-256 of the chunk's plaintext under the account's chunk-id key:
 * equal content dedups within an account, while the server (without the key) cannot test whether
 * an account holds a file it knows.
 *
 * The whole-file hash chains the chunk ids: HMAC under the file-hash key of the file size and the
 * ordered raw ids. Because each chunk is verified against its id on restore, checking this one
 * value verifies the whole file byte for byte, without a second pass over its bytes.
 */
import { toHex, type Bytes } from '../bytes.ts';
import { idBytes, type ChunkId, type FileHash } from '../ids.ts';

export async function chunkIdOf(key: CryptoKey, plaintext: Bytes): Promise<ChunkId> {
  return toHex(new Uint8Array(await crypto.subtle.sign('HMAC', key, plaintext))) as ChunkId;
}

export async function fileHashOf(key: CryptoKey, size: number, chunkIds: readonly ChunkId[]): Promise<FileHash> {
  const input = new Uint8Array(8 + 32 * chunkIds.length);
  new DataView(input.buffer).setBigUint64(0, BigInt(size));
  chunkIds.forEach((id, i) => input.set(idBytes(id), 8 + 32 * i));
  return toHex(new Uint8Array(await crypto.subtle.sign('HMAC', key, input))) as FileHash;
}
