import { describe, expect, test } from 'vitest';
import { fold, matches, phoneDigits, searchEntry } from '../../../../src/app/screens/records/contacts/search.ts';
import { BOOK, contact } from './fixtures.ts';

const found = (c: ReturnType<typeof contact>, query: string) => matches(searchEntry(c), query);

describe('search', () => {
  test('an empty query matches everyone', () => {
    expect(found(BOOK.suzuki, '')).toBe(true);
    expect(found(BOOK.suzuki, '   ')).toBe(true);
  });

  test('by name, any part, spaces and case aside', () => {
    expect(found(BOOK.yamada, '山田')).toBe(true);
    expect(found(BOOK.yamada, '太郎')).toBe(true);
    expect(found(BOOK.yamada, '山田太郎')).toBe(true);
    expect(found(BOOK.yamada, '山田 太郎')).toBe(true);
    expect(found(BOOK.emile, 'ZOLA')).toBe(true);
    expect(found(BOOK.emile, 'émile')).toBe(true);
    expect(found(BOOK.yamada, '鈴木')).toBe(false);
  });

  test('every word of the query must match something', () => {
    expect(found(BOOK.yamada, 'やまだ example')).toBe(true);
    expect(found(BOOK.yamada, 'やまだ nobody')).toBe(false);
  });

  test('by reading, in hiragana, katakana or half width', () => {
    expect(found(BOOK.yamada, 'やまだ')).toBe(true);
    expect(found(BOOK.yamada, 'ヤマダ')).toBe(true);
    expect(found(BOOK.yamada, 'ﾔﾏﾀﾞ')).toBe(true);
    expect(found(BOOK.yamada, 'たろう')).toBe(true);
    expect(found(BOOK.abe, 'あべ')).toBe(true);
    expect(found(BOOK.sato, 'さとう')).toBe(true);
    expect(found(BOOK.sato, 'サトウ')).toBe(true);
    expect(found(BOOK.yamada, 'やまた')).toBe(false);
  });

  test('by phone number, digits only, domestic or international, full-width digits folded', () => {
    expect(found(BOOK.sato, '0901234')).toBe(true);
    expect(found(BOOK.sato, '090-1234')).toBe(true);
    expect(found(BOOK.sato, '090 1234 5678')).toBe(true);
    expect(found(BOOK.sato, '+81 90 1234')).toBe(true);
    expect(found(BOOK.sato, '９０１２３４')).toBe(true);
    expect(found(BOOK.sato, '5678')).toBe(true);
    expect(found(BOOK.sato, '0901235')).toBe(false);
    expect(found(BOOK.anna, '03-5555')).toBe(true);
    expect(found(BOOK.anna, '0355551234')).toBe(true);
    expect(found(BOOK.yamada, '090')).toBe(false);
  });

  test('by email, case-insensitively', () => {
    expect(found(BOOK.yamada, 'taro@example.jp')).toBe(true);
    expect(found(BOOK.yamada, 'TARO@')).toBe(true);
    expect(found(BOOK.emile, 'example.fr')).toBe(true);
    expect(found(BOOK.emile, 'example.jp')).toBe(false);
  });

  test('by nickname and company too', () => {
    const c = contact('x', '田中 花子', { nickname: 'ハナちゃん', organization: '株式会社クラ' });
    expect(found(c, 'はなちゃん')).toBe(true);
    expect(found(c, 'クラ')).toBe(true);
  });

  test('phoneDigits: the digits, and for +81 the number as dialled in Japan', () => {
    expect(phoneDigits('+81 90-1234-5678')).toEqual(['819012345678', '09012345678']);
    expect(phoneDigits('0081 90 1234 5678')).toEqual(['00819012345678', '09012345678']);
    expect(phoneDigits('010-81-3-1234-5678')).toEqual(['01081312345678']);
    expect(phoneDigits('(03) 1234-5678')).toEqual(['0312345678']);
    expect(phoneDigits('＋８１ ３ １２３４')).toEqual(['8131234', '031234']);
    expect(phoneDigits('none')).toEqual([]);
  });

  test('fold: width, kana, case and spaces', () => {
    expect(fold('ヤマダ　タロウ')).toBe('やまだたろう');
    expect(fold('Ｔａｒｏ Yamada')).toBe('taroyamada');
  });
});
