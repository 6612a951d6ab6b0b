import { utf8, type Bytes } from '../bytes.ts';

/**
 * HKDF-SHA-256 (RFC 5869) through WebCrypto. Labels are versioned strings ("kura/v1/...") so a
 * future format can derive fresh keys from the same secret without colliding with these.
 */

const EMPTY = new Uint8Array(0);

export async function importHkdfKey(secret: Bytes): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey', 'deriveBits']);
}

export async function hkdfBytes(
  secret: Bytes | CryptoKey,
  info: string | Bytes,
  length: number,
  salt: Bytes = EMPTY,
): Promise<Bytes> {
  const base = secret instanceof Uint8Array ? await importHkdfKey(secret) : secret;
  const params = { name: 'HKDF', hash: 'SHA-256', salt, info: typeof info === 'string' ? utf8(info) : info };
  return new Uint8Array(await crypto.subtle.deriveBits(params, base, length * 8));
}

export type SubkeyUse = 'aes-gcm' | 'hmac';

/** Derives a non-extractable AES-256-GCM or HMAC-SHA-256 key. */
export async function hkdfKey(base: CryptoKey, info: string, use: SubkeyUse): Promise<CryptoKey> {
  const params = { name: 'HKDF', hash: 'SHA-256', salt: EMPTY, info: utf8(info) };
  return use === 'aes-gcm'
    ? crypto.subtle.deriveKey(params, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
    : crypto.subtle.deriveKey(params, base, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign', 'verify']);
}
