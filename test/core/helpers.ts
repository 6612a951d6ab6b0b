/** Shared test fixtures for the core: deterministic data, account keys, block splitting. */
import { createMasterKey } from '../../src/core/crypto/masterkey.ts';
import { deriveAccountKeys, type AccountKeys } from '../../src/core/crypto/subkeys.ts';
import { utf8, type Bytes } from '../../src/core/bytes.ts';
import type { Argon2 } from '../../src/core/crypto/kdf.ts';
import { isKuraError } from '../../src/core/errors.ts';

/** Deterministic pseudo-random bytes (xorshift32), fast enough for hundreds of MiB. */
export function pseudoRandomBytes(length: number, seed = 1): Bytes {
  const out = new Uint8Array(length);
  const words = new Uint32Array(out.buffer, 0, length >>> 2);
  let x = seed >>> 0 || 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  for (let i = words.length * 4; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export async function newAccountKeys(): Promise<AccountKeys> {
  return deriveAccountKeys(createMasterKey());
}

/** Splits data into blocks of the given sizes (cycled), each a fresh copy as a stream would give. */
export function* blocks(data: Uint8Array, sizes: readonly number[]): Generator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length]!);
    yield data.slice(at, at + size);
    at += size;
  }
}

export function streamOf(data: Uint8Array, blockSize = 64 * 1024): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= data.length) return controller.close();
      controller.enqueue(data.slice(at, at + blockSize));
      at += blockSize;
    },
  });
}

export async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

/**
 * How a promise settles, for asserting on failures: a KuraError's code, 'resolved' if it resolved
 * (so a test expecting an error also proves nothing was returned), or the foreign error itself.
 */
export async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(() => 'resolved', (e: unknown) => e);
  return isKuraError(error) ? error.code : error;
}

/**
 * Stands in for Argon2id (its own tests pin the real one): fast, and deterministic in the
 * passphrase, the salt and the parameters, so a re-wrap with new parameters gives a new key.
 */
export const fakeArgon2: Argon2 = async (passphrase, params, length) => {
  const input = new Uint8Array([...passphrase, ...params.salt, ...utf8(`${params.m}/${params.t}/${params.p}`)]);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-512', input));
  return digest.subarray(0, length);
};
