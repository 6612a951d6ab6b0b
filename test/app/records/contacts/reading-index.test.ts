import { describe, expect, test } from 'vitest';
import { compareIndexed, foldKana, indexContact, isKana, layoutRows, rowOf, ROWS, sortContacts, sortReading } from '../../../../src/app/screens/records/contacts/reading-index.ts';
import { ALL, BOOK, contact, key } from './fixtures.ts';

const index = (c: ReturnType<typeof contact>) => indexContact(c, key(c));

describe('rowOf: the index row a reading opens', () => {
  test.each([
    ['ｻﾄｳ', 'さ'],
    ['サトウ', 'さ'],
    ['さとう', 'さ'],
    ['がっこう', 'か'],
    ['ぱん', 'は'],
    ['ゔぃおら', 'あ'],
    ['ヴィオラ', 'あ'],
    ['ゃまと', 'や'],
    ['っぽ', 'た'],
    ['ぁいこ', 'あ'],
    ['ヵ', 'か'],
    ['ヶ', 'か'],
    ['んば', 'わ'],
    ['をの', 'わ'],
    ['ゐ', 'わ'],
    ['よしだ', 'や'],
    ['ろくろう', 'ら'],
    ['ﾊﾞﾝﾄﾞｳ', 'は'],
    ['もり', 'ま'],
    ['のむら', 'な'],
    ['ちば', 'た'],
    ['おの', 'あ'],
  ])('%s → %s', (reading, row) => {
    expect(rowOf(reading)).toBe(row);
  });

  test.each([
    ['Émile', 'E'],
    ['émile', 'E'],
    ['zola', 'Z'],
    ['Ｚｏｌａ', 'Z'],
    ['Øyvind', 'O'],
    ['Łukasz', 'L'],
    ['  (Ann)', 'A'],
  ])('Latin %s → %s, case and diacritics aside', (reading, row) => {
    expect(rowOf(reading)).toBe(row);
  });

  test.each([['山田'], ['101号室'], ['１２３'], [''], ['・・・'], ['Дмитрий'], ['김']])('%s → #', (reading) => {
    expect(rowOf(reading)).toBe('#');
  });

  test('the rows run あ…わ, then A…Z, then #', () => {
    expect(ROWS.slice(0, 10).join('')).toBe('あかさたなはまやらわ');
    expect(ROWS[10]).toBe('A');
    expect(ROWS[35]).toBe('Z');
    expect(ROWS.at(-1)).toBe('#');
    expect(ROWS).toHaveLength(37);
  });
});

describe('sortReading: what a contact is sorted by', () => {
  test('the reading (family then given) when there is one', () => {
    expect(sortReading(BOOK.yamada)).toBe('やまだたろう');
    expect(sortReading(BOOK.abe)).toBe('アベ');
  });

  test('else the structured name when it is kana, else the formatted name', () => {
    const kanaName = contact('k', 'Hanako', { name: { family: 'さとう', given: 'はなこ', additional: '', prefix: '', suffix: '' } });
    expect(sortReading(kanaName)).toBe('さとうはなこ');
    expect(sortReading(BOOK.suzuki)).toBe('鈴木 一郎');
    expect(sortReading(BOOK.emile)).toBe('Émile Zola');
  });

  test('a blank reading does not count; a contact with no name sorts by its company', () => {
    expect(sortReading(contact('x', '田中', { reading: { family: '  ' } }))).toBe('田中');
    expect(sortReading(contact('x', '', { organization: 'カブシキガイシャ' }))).toBe('カブシキガイシャ');
  });

  test('isKana: kana only, with spaces, ・ and ー allowed', () => {
    expect(isKana('サトウ ハナコ')).toBe(true);
    expect(isKana('ｻﾄｳ')).toBe(true);
    expect(isKana('ジョン・スミス')).toBe(true);
    expect(isKana('ー')).toBe(false);
    expect(isKana('佐藤')).toBe(false);
    expect(isKana('Sato')).toBe(false);
  });

  test('foldKana: width and katakana folded, voicing kept', () => {
    expect(foldKana('ｶﾞｯｺｳ')).toBe('がっこう');
    expect(foldKana('サトウ')).toBe('さとう');
    expect(foldKana('ＡＢＣ１２３')).toBe('ABC123');
  });
});

describe('the contacts in order', () => {
  test('each contact lands in its row: ｻﾄｳ, サトウ and さとう in さ; 山田 with a reading in や, without in #', () => {
    expect(index(contact('a', 'ｻﾄｳ')).row).toBe('さ');
    expect(index(contact('b', 'サトウ')).row).toBe('さ');
    expect(index(contact('c', 'さとう')).row).toBe('さ');
    expect(index(BOOK.gakko).row).toBe('か');
    expect(index(BOOK.emile).row).toBe('E');
    expect(index(contact('d', '山田')).row).toBe('#');
    expect(index(contact('e', '山田', { reading: { family: 'やまだ' } })).row).toBe('や');
  });

  test('kana rows first in dictionary order, then Latin, then the rest', () => {
    const sorted = sortContacts(ALL.map(index)).map((e) => e.contact.formattedName);
    expect(sorted).toEqual(['安倍', 'がっこう', 'カトウ', 'ｻﾄｳ ﾊﾅｺ', '山田 太郎', 'anna Smith', 'Émile Zola', '101号室', '鈴木 一郎']);
  });

  test('the same reading in hiragana, katakana and half width sorts together, ties broken by name then key', () => {
    const a = index(contact('2', 'さとう'));
    const b = index(contact('1', 'サトウ'));
    const c = index(contact('3', 'ｻﾄｳ'));
    const sorted = sortContacts([a, b, c]);
    expect(sorted.every((e) => e.sortKey === 'さとう')).toBe(true);
    expect(compareIndexed(a, a)).toBe(0);
    expect(new Set(sorted)).toEqual(new Set([a, b, c]));
    // A total order: sorting any arrangement gives the same list.
    expect(sortContacts([c, b, a])).toEqual(sorted);
  });

  test('voiced kana sort right after their base, Latin case-insensitively, numbers numerically', () => {
    const names = ['はなこ', 'ぱな', 'はら', 'ばな', 'はな', 'ばば'].map((n, i) => index(contact(String(i), n)));
    expect(sortContacts(names).map((e) => e.contact.formattedName)).toEqual(['はな', 'ばな', 'ぱな', 'はなこ', 'ばば', 'はら']);
    const latin = ['bob', 'Alice', 'alan', 'Bea'].map((n, i) => index(contact(String(i), n)));
    expect(sortContacts(latin).map((e) => e.contact.formattedName)).toEqual(['alan', 'Alice', 'Bea', 'bob']);
    const rooms = ['Room 10', 'Room 2'].map((n, i) => index(contact(String(i), n)));
    expect(sortContacts(rooms).map((e) => e.contact.formattedName)).toEqual(['Room 2', 'Room 10']);
  });

  test('layoutRows puts a heading before each row and remembers where it is', () => {
    const layout = layoutRows(sortContacts(ALL.map(index)));
    expect(layout.rows.map((r) => (r.kind === 'head' ? `[${r.row}]` : r.entry.key))).toEqual([
      '[あ]', 'abe', '[か]', 'gakko', 'kato', '[さ]', 'sato', '[や]', 'yamada', '[A]', 'anna', '[E]', 'emile', '[#]', 'room', 'suzuki',
    ]);
    expect([...layout.heads]).toEqual([['あ', 0], ['か', 2], ['さ', 5], ['や', 7], ['A', 9], ['E', 11], ['#', 13]]);
    expect(layoutRows([])).toEqual({ rows: [], heads: new Map() });
  });
});
