import { describe, expect, test } from 'vitest';
import { decodeCharset, decodeExport } from '../../../src/core/records/text.ts';

// 山田 in Shift_JIS.
const YAMADA_SJIS = new Uint8Array([0x8e, 0x52, 0x93, 0x63]);

describe('export text', () => {
  test('UTF-8 with or without a BOM', () => {
    expect(decodeExport(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('山田')]))).toBe('山田');
    expect(decodeExport('\uFEFFBEGIN')).toBe('BEGIN');
  });

  test('bytes that are not UTF-8 are read as Shift_JIS', () => {
    expect(decodeExport(YAMADA_SJIS)).toBe('山田');
  });

  test('charset labels as phones write them', () => {
    expect(decodeCharset(YAMADA_SJIS, 'SHIFT_JIS')).toBe('山田');
    expect(decodeCharset(YAMADA_SJIS, 'Windows-31J')).toBe('山田');
    expect(() => decodeCharset(YAMADA_SJIS, 'no-such-charset')).toThrow(RangeError);
  });
});
