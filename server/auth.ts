/**
 * Secrets the server handles, none of them a password: proof keys (authKey, recoveryAuthKey) are
 * stored as salted SHA-256 verifiers (they are already Argon2id/HKDF outputs, so a slow hash adds
 * nothing), and session tokens as their SHA-256. Unknown emails get KDF parameters derived from a
 * server secret, stable per email, so `POST /sessions/params` does not reveal who has an account.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { toBase64Url } from '../src/core/bytes.ts';
import { KDF_FLOOR, KDF_SALT_BYTES, kdfLadder } from '../src/core/crypto/kdf.ts';
import type { KdfRecord, Verifier } from './storage/ports.ts';

export function makeVerifier(key: Uint8Array): Verifier {
  const salt = randomBytes(16);
  return { salt, hash: verifierHash(salt, key) };
}

function verifierHash(salt: Uint8Array, key: Uint8Array): Uint8Array {
  return createHash('sha256').update(salt).update(key).digest();
}

export function checkVerifier(verifier: Verifier, key: Uint8Array): boolean {
  return timingSafeEqual(verifierHash(verifier.salt, key), verifier.hash);
}

/** A verifier that matches nothing, compared against for unknown emails so timing is alike. */
export const NO_ACCOUNT_VERIFIER: Verifier = { salt: randomBytes(16), hash: randomBytes(32) };

/** A new bearer token (256 random bits) and the hash under which it is stored. */
export function newSessionToken(): { token: string; tokenHash: Uint8Array } {
  const token = toBase64Url(randomBytes(32));
  return { token, tokenHash: hashToken(token) };
}

export function hashToken(token: string): Uint8Array {
  return createHash('sha256').update(token).digest();
}

/**
 * Parameters for an email with no account: the salt and a ladder step chosen by HMAC of the email,
 * so repeated asks give the same answer, shaped like a real account's (mostly the target step).
 */
export function fakeKdf(secret: Uint8Array, email: string): KdfRecord {
  const mac = createHmac('sha256', secret).update(`kura/v1/fake-kdf/${email}`).digest();
  const ladder = kdfLadder();
  const roll = mac[KDF_SALT_BYTES]! / 256;
  const step = roll < 0.85 ? ladder[0]! : roll < 0.95 ? ladder[1] ?? ladder[0]! : ladder.at(-1) ?? KDF_FLOOR;
  return { alg: 'argon2id', ...step, salt: mac.subarray(0, KDF_SALT_BYTES) };
}
