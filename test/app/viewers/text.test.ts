import { describe, expect, test } from 'vitest';
import { decodeText, readText } from '../../../src/app/components/viewers/text.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('decodeText', () => {
  test('UTF-8, with its BOM dropped', () => {
    expect(decodeText(utf8('\uFEFF日本語 and English'))).toBe('日本語 and English');
  });

  test('Shift_JIS when the bytes are not UTF-8 but are valid Shift_JIS', () => {
    // "こんにちは" in Shift_JIS
    const sjis = new Uint8Array([0x82, 0xb1, 0x82, 0xf1, 0x82, 0xc9, 0x82, 0xbf, 0x82, 0xcd]);
    expect(decodeText(sjis)).toBe('こんにちは');
  });

  test('neither: UTF-8 with replacement characters, never an exception', () => {
    expect(decodeText(new Uint8Array([0x61, 0xff, 0xfe, 0x80, 0x62]))).toContain('\uFFFD');
  });

  test('a character cut at the limit is not taken for another encoding', () => {
    const bytes = utf8('写真');
    expect(decodeText(bytes.slice(0, 4), true)).toBe('写');
  });
});

describe('readText', () => {
  test('reads up to the limit and says when the file is longer', async () => {
    const long = await readText(new Blob(['abcdefghij']), 4);
    expect(long).toEqual({ text: 'abcd', truncated: true });
    const short = await readText(new Blob(['abc']), 4);
    expect(short).toEqual({ text: 'abc', truncated: false });
  });
});
