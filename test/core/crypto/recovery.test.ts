import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { toHex } from '../../../src/core/bytes.ts';
import { KuraError } from '../../../src/core/errors.ts';
import { createRecoveryKey, formatRecoveryKey, parseRecoveryKey } from '../../../src/core/crypto/recovery.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function parseError(text: string): KuraError | undefined {
  try {
    parseRecoveryKey(text);
    return undefined;
  } catch (e) {
    if (e instanceof KuraError) return e;
    throw e;
  }
}

describe('recovery key code', () => {
  test('is 13 groups of five Crockford base32 characters', () => {
    expect(formatRecoveryKey(createRecoveryKey())).toMatch(/^([0-9A-HJKMNP-TV-Z]{5}-){12}[0-9A-HJKMNP-TV-Z]{5}$/);
  });

  test('round-trips any 256-bit key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (raw) => {
        const key = new Uint8Array(raw);
        expect(toHex(parseRecoveryKey(formatRecoveryKey(key)))).toBe(toHex(key));
      }),
    );
  });

  test('every single mistyped character is caught, naming its group', () => {
    const code = formatRecoveryKey(createRecoveryKey()).replace(/-/g, '');
    let checked = 0;
    for (let at = 0; at < code.length; at++) {
      for (const ch of ALPHABET) {
        if (ch === code[at]) continue;
        const typo = code.slice(0, at) + ch + code.slice(at + 1);
        const error = parseError(typo);
        expect(error?.code, `position ${at} as ${ch}`).toBe('recovery-key-typo');
        expect(error?.details.group).toBe(Math.floor(at / 5) + 1);
        checked++;
      }
    }
    expect(checked).toBe(65 * 31);
  });

  test('swapping two neighbouring characters is caught (except 0 with Z)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat(63), (raw, at) => {
        const code = formatRecoveryKey(new Uint8Array(raw)).replace(/-/g, '');
        const [a, b] = [code[at]!, code[at + 1]!];
        fc.pre(a !== b && !(new Set([a, b]).has('0') && new Set([a, b]).has('Z')));
        const swapped = code.slice(0, at) + b + a + code.slice(at + 2);
        expect(parseError(swapped)?.code).toMatch(/^recovery-key-(typo|malformed)$/);
      }),
    );
  });

  test('swapping two whole groups is caught', () => {
    const groups = formatRecoveryKey(createRecoveryKey()).split('-');
    [groups[2], groups[7]] = [groups[7]!, groups[2]!];
    expect(parseError(groups.join('-'))?.code).toBe('recovery-key-typo');
  });

  test('reading forgives case, spacing, full-width input and look-alike letters', () => {
    const key = createRecoveryKey();
    const code = formatRecoveryKey(key);
    const sloppy = code
      .toLowerCase()
      .replace(/-/g, ' ')
      .replace(/0/g, 'o')
      .replace(/1/g, 'l')
      .replace(/[a-z]/, (c) => String.fromCharCode(c.charCodeAt(0) - 0x61 + 0xff41)); // full-width
    expect(toHex(parseRecoveryKey(sloppy))).toBe(toHex(key));
    expect(toHex(parseRecoveryKey(code.replace(/-/g, 'ー')))).toBe(toHex(key));
  });

  test('rejects text of the wrong length or with foreign characters as malformed', () => {
    const code = formatRecoveryKey(createRecoveryKey());
    expect(parseError(code.slice(0, -1))?.code).toBe('recovery-key-malformed');
    expect(parseError(code + 'A')?.code).toBe('recovery-key-malformed');
    expect(parseError(code.replace(/^./, 'U'))?.code).toBe('recovery-key-malformed');
    expect(parseError('')?.code).toBe('recovery-key-malformed');
  });

  test('rejects a code whose padding bits are not zero', () => {
    // Last group: data symbols 49..52; symbol 52 carries 1 key bit and 4 padding bits.
    const code = formatRecoveryKey(new Uint8Array(32)).replace(/-/g, '');
    const lastGroup = code.slice(60, 64);
    const tweaked = lastGroup.slice(0, 3) + ALPHABET[1]; // a padding bit set
    // Recompute a valid check character for the tweaked group by trying all 32.
    const valid = [...ALPHABET]
      .map((check) => code.slice(0, 60) + tweaked + check)
      .find((candidate) => parseError(candidate)?.code !== 'recovery-key-typo');
    expect(valid).toBeDefined();
    expect(parseError(valid!)?.code).toBe('recovery-key-malformed');
  });
});
