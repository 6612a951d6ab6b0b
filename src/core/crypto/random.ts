import type { Bytes } from '../bytes.ts';

/** Cryptographically random bytes; getRandomValues fills at most 65,536 bytes per call. */
export function randomBytes(length: number): Bytes {
  const out = new Uint8Array(length);
  for (let at = 0; at < length; at += 65536) {
    crypto.getRandomValues(out.subarray(at, Math.min(length, at + 65536)));
  }
  return out;
}
