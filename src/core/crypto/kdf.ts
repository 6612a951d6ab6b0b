/**
 * Passphrase → keys (DESIGN.md section 3).
 *
 * Argon2id (hash-wasm) turns the passphrase into 64 bytes; HKDF splits them into K_wrap (wraps the
 * master key; never leaves the device) and K_auth (sent at sign-in; the server keeps only its hash).
 *
 * [Note: KDF parameter policy]
 * Target m=256 MiB, t=3, p=1. When the device cannot allocate that much, halve m and double t, so
 * the work (m·t) stays the same while the memory need falls, down to the floor m=64 MiB. Parameters
 * arriving from a server below the floor, or absurdly above anything we would choose, are refused
 * before any work is done: a hostile server could otherwise downgrade the KDF or pin the device.
 */
import { argon2id } from 'hash-wasm';
import { utf8, type Bytes } from '../bytes.ts';
import { KuraError } from '../errors.ts';
import { hkdfBytes } from './hkdf.ts';
import { randomBytes } from './random.ts';

export interface KdfParams {
  readonly alg: 'argon2id';
  /** Memory in KiB, as Argon2 counts it. */
  readonly m: number;
  readonly t: number;
  readonly p: number;
  readonly salt: Bytes;
}

export const KDF_TARGET = { m: 256 * 1024, t: 3, p: 1 } as const;
export const KDF_FLOOR = { m: 64 * 1024, t: 3, p: 1 } as const;
/** Ceilings that no honest server sends; they bound the work a hostile one can ask for. */
export const KDF_CEILING = { m: 2 * 1024 * 1024, t: 64, p: 16 } as const;
export const KDF_SALT_BYTES = 16;

export interface PassphraseKeys {
  /** AES-256-GCM key that wraps the master key; non-extractable. */
  readonly wrapKey: CryptoKey;
  /** 32 bytes proving knowledge of the passphrase to the server. */
  readonly authKey: Bytes;
}

/** Argon2id raw: returns `length` bytes. A parameter so tests can simulate allocation failure. */
export type Argon2 = (passphrase: Bytes, params: KdfParams, length: number) => Promise<Bytes>;

export const hashWasmArgon2: Argon2 = async (passphrase, params, length) => {
  const out = await argon2id({
    password: passphrase,
    salt: params.salt,
    iterations: params.t,
    parallelism: params.p,
    memorySize: params.m,
    hashLength: length,
    outputType: 'binary',
  });
  return new Uint8Array(out);
};

/** Throws unless the parameters are well-formed, at or above the floor and below the ceiling. */
export function checkKdfParams(params: KdfParams): void {
  const { alg, m, t, p, salt } = params;
  const wellFormed =
    alg === 'argon2id' &&
    [m, t, p].every((n) => Number.isSafeInteger(n) && n > 0) &&
    salt instanceof Uint8Array &&
    salt.length === KDF_SALT_BYTES;
  if (!wellFormed) throw new KuraError('kdf-params-invalid', { alg, m, t, p });
  if (m < KDF_FLOOR.m || t < KDF_FLOOR.t || p < KDF_FLOOR.p) {
    throw new KuraError('kdf-params-below-floor', { m, t, p, floor: KDF_FLOOR });
  }
  if (m > KDF_CEILING.m || t > KDF_CEILING.t || p > KDF_CEILING.p) {
    throw new KuraError('kdf-params-invalid', { m, t, p, ceiling: KDF_CEILING });
  }
}

/** The parameter ladder tried on a new account, strongest first (see [Note: KDF parameter policy]). */
export function kdfLadder(): { m: number; t: number; p: number }[] {
  const steps = [];
  for (let m: number = KDF_TARGET.m, t: number = KDF_TARGET.t; m >= KDF_FLOOR.m; m /= 2, t *= 2) {
    steps.push({ m, t, p: KDF_TARGET.p });
  }
  return steps;
}

/**
 * Passphrases are NFKC-normalized so the same words typed through different input methods (a
 * Japanese IME's full-width digits, a composed or decomposed kana) give the same key.
 */
export function normalizePassphrase(passphrase: string): Bytes {
  return utf8(passphrase.normalize('NFKC'));
}

export async function derivePassphraseKeys(
  passphrase: string,
  params: KdfParams,
  argon2: Argon2 = hashWasmArgon2,
): Promise<PassphraseKeys> {
  checkKdfParams(params);
  let stretched: Bytes;
  try {
    stretched = await argon2(normalizePassphrase(passphrase), params, 64);
  } catch (e) {
    if (isAllocationFailure(e)) throw new KuraError('kdf-out-of-memory', { m: params.m }, e);
    throw e;
  }
  return splitStretched(stretched);
}

/** HKDF split of the Argon2 output into K_wrap and K_auth. */
export async function splitStretched(stretched: Bytes): Promise<PassphraseKeys> {
  const wrapBytes = await hkdfBytes(stretched, 'kura/v1/kdf/wrap', 32);
  const authKey = await hkdfBytes(stretched, 'kura/v1/kdf/auth', 32);
  const wrapKey = await crypto.subtle.importKey('raw', wrapBytes, 'AES-GCM', false, ['encrypt', 'decrypt']);
  wrapBytes.fill(0);
  stretched.fill(0);
  return { wrapKey, authKey };
}

/**
 * For a new account: fresh salt, the strongest parameters of the ladder this device can allocate.
 */
export async function createPassphraseKeys(
  passphrase: string,
  argon2: Argon2 = hashWasmArgon2,
): Promise<PassphraseKeys & { params: KdfParams }> {
  const salt = randomBytes(KDF_SALT_BYTES);
  let lastFailure: unknown;
  for (const step of kdfLadder()) {
    const params: KdfParams = { alg: 'argon2id', ...step, salt };
    try {
      return { params, ...(await derivePassphraseKeys(passphrase, params, argon2)) };
    } catch (e) {
      if (!(e instanceof KuraError && e.code === 'kdf-out-of-memory')) throw e;
      lastFailure = e.inner;
    }
  }
  throw new KuraError('kdf-out-of-memory', { m: KDF_FLOOR.m }, lastFailure);
}

/** WebAssembly memory growth fails with a RangeError; hash-wasm may also rethrow it as Error. */
function isAllocationFailure(e: unknown): boolean {
  return e instanceof RangeError || (e instanceof Error && /memory|alloc/i.test(e.message));
}
