/**
 * The recovery key: 256 random bits the user keeps on paper or in a file. It wraps the master key
 * a second time and, through HKDF, gives its own server authenticator, so a forgotten passphrase
 * does not lose the data.
 *
 * [Note: Recovery key code]
 * Shown as 13 groups of five Crockford base32 characters: four data characters and one check
 * character per group (52 data characters carry 260 bits: the 256 key bits and 4 zero bits).
 * The check is Luhn mod 32 over the group's position and its four characters, so any single
 * mistyped character, and a swap of two neighbours (except 0 with Z, Luhn's blind spot), is
 * caught and the screen can point at the group. Reading is forgiving: full-width characters from
 * a Japanese IME, case, spaces and hyphens are ignored, O reads as 0, I and L as 1.
 */
import type { Bytes } from '../bytes.ts';
import { KuraError } from '../errors.ts';
import { hkdfBytes, importHkdfKey, hkdfKey } from './hkdf.ts';
import { randomBytes } from './random.ts';

export const RECOVERY_KEY_BYTES = 32;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 13;
const DATA_PER_GROUP = 4;

export function createRecoveryKey(): Bytes {
  return randomBytes(RECOVERY_KEY_BYTES);
}

/** Luhn mod N (N = 32) check value for a sequence of symbol values. */
function luhnCheck(values: readonly number[]): number {
  const n = ALPHABET.length;
  let factor = 2;
  let sum = 0;
  for (let i = values.length - 1; i >= 0; i--) {
    let addend = factor * values[i]!;
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / n) + (addend % n);
    sum += addend;
  }
  return (n - (sum % n)) % n;
}

export function formatRecoveryKey(key: Bytes): string {
  if (key.length !== RECOVERY_KEY_BYTES) throw new KuraError('invalid-argument', { kind: 'recovery key' });
  const symbols: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const byte of key) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      symbols.push((acc >>> bits) & 31);
    }
    acc &= (1 << bits) - 1;
  }
  symbols.push((acc << (5 - bits)) & 31); // 256 = 51·5 + 1: the last symbol carries one bit
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    const data = symbols.slice(g * DATA_PER_GROUP, (g + 1) * DATA_PER_GROUP);
    const check = luhnCheck([g, ...data]);
    groups.push([...data, check].map((v) => ALPHABET[v]).join(''));
  }
  return groups.join('-');
}

function symbolValue(ch: string): number {
  const c = ch === 'O' ? '0' : ch === 'I' || ch === 'L' ? '1' : ch;
  return ALPHABET.indexOf(c);
}

/** Parses a typed or pasted recovery key; throws recovery-key-typo with the group at fault. */
export function parseRecoveryKey(text: string): Bytes {
  const cleaned = text.normalize('NFKC').toUpperCase().replace(/[\s\-‐‑–—ー－]/g, '');
  const values = [...cleaned].map(symbolValue);
  if (values.length !== GROUPS * (DATA_PER_GROUP + 1) || values.some((v) => v < 0)) {
    throw new KuraError('recovery-key-malformed', { length: values.length });
  }
  const data: number[] = [];
  for (let g = 0; g < GROUPS; g++) {
    const group = values.slice(g * 5, g * 5 + 5);
    const body = group.slice(0, DATA_PER_GROUP);
    if (luhnCheck([g, ...body]) !== group[DATA_PER_GROUP]) {
      throw new KuraError('recovery-key-typo', { group: g + 1 });
    }
    data.push(...body);
  }
  const key = new Uint8Array(RECOVERY_KEY_BYTES);
  let acc = 0;
  let bits = 0;
  let at = 0;
  for (const v of data) {
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      key[at++] = (acc >>> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  // 4 padding bits remain; any other value means the text was not produced by formatRecoveryKey.
  if (at !== RECOVERY_KEY_BYTES || acc !== 0) throw new KuraError('recovery-key-malformed', { padding: acc });
  return key;
}

export interface RecoveryKeys {
  readonly wrapKey: CryptoKey;
  readonly authKey: Bytes;
}

/** The recovery key's own wrap key and server authenticator, as the passphrase has. */
export async function deriveRecoveryKeys(recoveryKey: Bytes): Promise<RecoveryKeys> {
  const base = await importHkdfKey(recoveryKey);
  return {
    wrapKey: await hkdfKey(base, 'kura/v1/recovery/wrap', 'aes-gcm'),
    authKey: await hkdfBytes(base, 'kura/v1/recovery/auth', 32),
  };
}
