/**
 * Known-answer tests: the primitives Kura builds on produce the published outputs.
 * HKDF: RFC 5869 appendix A (SHA-256 cases 1 and 3). HMAC: RFC 4231 (cases 1, 2, 6).
 * AES-GCM: the GCM specification's test case 16 (McGrew & Viega; AES-256, 96-bit IV, AAD).
 * Argon2id: the reference implementation's test suite (phc-winner-argon2, src/test.c, v0x13).
 */
import { describe, expect, test } from 'vitest';
import { fromHex, toHex, utf8, type Bytes } from '../../../src/core/bytes.ts';
import { hkdfBytes } from '../../../src/core/crypto/hkdf.ts';
import { chunkIdOf } from '../../../src/core/crypto/chunkid.ts';
import { hashWasmArgon2 } from '../../../src/core/crypto/kdf.ts';

const hex = (s: string): Bytes => fromHex(s.replace(/\s+/g, ''))!;

describe('HKDF-SHA-256, RFC 5869', () => {
  test('test case 1: salt and info', async () => {
    const okm = await hkdfBytes(new Uint8Array(22).fill(0x0b), hex('f0f1f2f3f4f5f6f7f8f9'), 42, hex('000102030405060708090a0b0c'));
    expect(toHex(okm)).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  });

  test('test case 3: empty salt and info', async () => {
    const okm = await hkdfBytes(new Uint8Array(22).fill(0x0b), new Uint8Array(0), 42);
    expect(toHex(okm)).toBe('8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8');
  });
});

describe('HMAC-SHA-256 as used for chunk ids, RFC 4231', () => {
  const hmacKey = (raw: Bytes) =>
    crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);

  test.each([
    ['case 1', new Uint8Array(20).fill(0x0b), utf8('Hi There'), 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
    ['case 2', utf8('Jefe'), utf8('what do ya want for nothing?'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
    [
      'case 6 (key longer than a block)',
      new Uint8Array(131).fill(0xaa),
      utf8('Test Using Larger Than Block-Size Key - Hash Key First'),
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    ],
  ])('%s', async (_name, key, data, expected) => {
    expect(await chunkIdOf(await hmacKey(key), data)).toBe(expected);
  });
});

describe('AES-256-GCM, GCM specification test case 16', () => {
  const key = hex('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308');
  const iv = hex('cafebabefacedbaddecaf888');
  const aad = hex('feedfacedeadbeeffeedfacedeadbeefabaddad2');
  const plaintext = hex(`d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72
    1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39`);
  const sealed = `522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa
    8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662
    76fc6ece0f4e1768cddf8853bb2d551b`.replace(/\s+/g, '');

  test('encrypts to the published ciphertext and tag, and back', async () => {
    const k = await crypto.subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt', 'decrypt']);
    const out = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, k, plaintext));
    expect(toHex(out)).toBe(sealed);
    const back = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad }, k, out));
    expect(toHex(back)).toBe(toHex(plaintext));
  });
});

describe('Argon2id v1.3, reference implementation vectors', () => {
  const salt = utf8('somesalt');
  test.each([
    [256, 2, 1, '9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe'],
    [256, 2, 2, '6d093c501fd5999645e0ea3bf620d7b8be7fd2db59c20d9fff9539da2bf57037'],
    [65536, 2, 1, '09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7'],
  ])('m=%i KiB, t=%i, p=%i', async (m, t, p, expected) => {
    const tag = await hashWasmArgon2(utf8('password'), { alg: 'argon2id', m, t, p, salt }, 32);
    expect(toHex(tag)).toBe(expected);
  });
});
