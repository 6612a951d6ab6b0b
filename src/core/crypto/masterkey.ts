/**
 * The master key MK and its wraps (DESIGN.md section 3).
 *
 * MK is 32 random bytes made on the first device. The server holds it only wrapped: once under
 * K_wrap (from the passphrase) and once under the recovery key's wrap key.
 *
 * Wrapped key layout, version 1 (frozen: changing it breaks every stored account):
 *   [0]      version = 0x01
 *   [1..13)  12-byte random IV
 *   [13..61) AES-256-GCM ciphertext of MK (32) and tag (16)
 * AAD = "kura/wrapped-master-key/v1" · 0x00 · purpose · account id (16 bytes) · KDF parameters.
 * Binding the KDF parameters means a server that swaps in weaker parameters (or another salt)
 * makes the unwrap fail rather than silently deriving a weaker key next time.
 */
import { concatBytes, utf8, type Bytes } from '../bytes.ts';
import { KuraError } from '../errors.ts';
import { idBytes, type AccountId } from '../ids.ts';
import type { KdfParams } from './kdf.ts';
import { randomBytes } from './random.ts';

export const MASTER_KEY_BYTES = 32;
const WRAP_VERSION = 0x01;
const IV_BYTES = 12;
export const WRAPPED_KEY_BYTES = 1 + IV_BYTES + MASTER_KEY_BYTES + 16;

export type WrapContext =
  | { readonly purpose: 'passphrase'; readonly accountId: AccountId; readonly kdf: KdfParams }
  | { readonly purpose: 'recovery'; readonly accountId: AccountId };

export function createMasterKey(): Bytes {
  return randomBytes(MASTER_KEY_BYTES);
}

/** Canonical bytes of KDF parameters, used wherever they are authenticated. */
export function encodeKdfParams(kdf: KdfParams): Bytes {
  const fixed = new Uint8Array(13);
  const view = new DataView(fixed.buffer);
  view.setUint8(0, 1); // 1 = argon2id, version 0x13
  view.setUint32(1, kdf.m);
  view.setUint32(5, kdf.t);
  view.setUint32(9, kdf.p);
  return concatBytes(fixed, Uint8Array.of(kdf.salt.length), kdf.salt);
}

function wrapAad(ctx: WrapContext): Bytes {
  const head = concatBytes(utf8('kura/wrapped-master-key/v1'), Uint8Array.of(0));
  const account = idBytes(ctx.accountId);
  return ctx.purpose === 'passphrase'
    ? concatBytes(head, Uint8Array.of(1), account, encodeKdfParams(ctx.kdf))
    : concatBytes(head, Uint8Array.of(2), account);
}

export async function wrapMasterKey(masterKey: Bytes, wrapKey: CryptoKey, ctx: WrapContext): Promise<Bytes> {
  if (masterKey.length !== MASTER_KEY_BYTES) {
    throw new KuraError('invalid-argument', { kind: 'master key', length: masterKey.length });
  }
  const iv = randomBytes(IV_BYTES);
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: wrapAad(ctx) }, wrapKey, masterKey);
  return concatBytes(Uint8Array.of(WRAP_VERSION), iv, new Uint8Array(sealed));
}

export async function unwrapMasterKey(wrapped: Bytes, wrapKey: CryptoKey, ctx: WrapContext): Promise<Bytes> {
  if (wrapped.length !== WRAPPED_KEY_BYTES) throw new KuraError('envelope-malformed', { length: wrapped.length });
  if (wrapped[0] !== WRAP_VERSION) throw new KuraError('envelope-unsupported-version', { version: wrapped[0] });
  try {
    const iv = wrapped.subarray(1, 1 + IV_BYTES);
    const body = wrapped.subarray(1 + IV_BYTES);
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: wrapAad(ctx) }, wrapKey, body);
    return new Uint8Array(plain);
  } catch (e) {
    throw new KuraError('unwrap-failed', { purpose: ctx.purpose }, e);
  }
}
