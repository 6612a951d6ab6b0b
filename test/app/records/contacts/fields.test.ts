import { describe, expect, test } from 'vitest';
import {
  addressLines,
  describeContact,
  displayName,
  fieldLabel,
  firstReach,
  formatContactDate,
  initial,
  photoBlob,
  readingLine,
  safeHref,
} from '../../../../src/app/screens/records/contacts/fields.ts';
import { BOOK, contact } from './fixtures.ts';

const address = (fields: Partial<Parameters<typeof addressLines>[0]>) => ({ poBox: '', extended: '', street: '', locality: '', region: '', postalCode: '', country: '', types: [], ...fields });

describe('contact fields', () => {
  test('the name line: formatted name, else company, else email or phone', () => {
    expect(displayName(BOOK.yamada)).toBe('山田 太郎');
    expect(displayName(contact('x', ' ', { organization: 'Kura Inc.' }))).toBe('Kura Inc.');
    expect(displayName(contact('x', '', { emails: [{ value: 'a@b.jp', types: [] }] }))).toBe('a@b.jp');
    expect(displayName(contact('x', ''))).toBe('');
    expect(initial(BOOK.emile)).toBe('É');
    expect(initial(BOOK.yamada)).toBe('山');
  });

  test('the reading shows when it says something the name does not', () => {
    expect(readingLine(BOOK.yamada)).toBe('やまだ たろう');
    expect(readingLine(contact('x', 'やまだ たろう', { reading: { family: 'やまだ', given: 'たろう' } }))).toBeUndefined();
    expect(readingLine(BOOK.suzuki)).toBeUndefined();
  });

  test('first phone, else first email; the history line joins it to the name', () => {
    expect(firstReach(BOOK.sato)).toBe('+81 90-1234-5678');
    expect(firstReach(BOOK.yamada)).toBe('Taro@Example.JP');
    expect(firstReach(BOOK.suzuki)).toBeUndefined();
    expect(describeContact(BOOK.yamada)).toBe('山田 太郎 · Taro@Example.JP');
    expect(describeContact(BOOK.suzuki)).toBe('鈴木 一郎');
  });

  test('labels: iPhone labels and vCard types to catalogue keys; the user’s own as written', () => {
    expect(fieldLabel({ types: ['cell', 'pref'] }, 'phone')).toEqual({ key: 'mobile' });
    expect(fieldLabel({ types: [], label: 'Mobile' }, 'phone')).toEqual({ key: 'mobile' });
    expect(fieldLabel({ types: [], label: 'iPhone' }, 'phone')).toEqual({ key: 'iphone' });
    expect(fieldLabel({ types: [], label: 'HomeFAX' }, 'phone')).toEqual({ key: 'homeFax' });
    expect(fieldLabel({ types: ['fax', 'work'] }, 'phone')).toEqual({ key: 'workFax' });
    expect(fieldLabel({ types: ['fax'] }, 'phone')).toEqual({ key: 'fax' });
    expect(fieldLabel({ types: ['main'] }, 'phone')).toEqual({ key: 'main' });
    expect(fieldLabel({ types: ['work', 'voice'] }, 'phone')).toEqual({ key: 'work' });
    expect(fieldLabel({ types: ['home', 'internet'] }, 'email')).toEqual({ key: 'home' });
    expect(fieldLabel({ types: [], label: 'Other' }, 'phone')).toEqual({ key: 'other' });
    expect(fieldLabel({ types: [], label: '実家' }, 'phone')).toEqual({ text: '実家' });
    expect(fieldLabel({ types: ['x-custom'] }, 'email')).toEqual({ key: 'email' });
    expect(fieldLabel({ types: [] }, 'url')).toEqual({ key: 'url' });
  });

  test('only web addresses become links', () => {
    expect(safeHref('https://example.jp/taro')).toBe('https://example.jp/taro');
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref('example.jp')).toBeUndefined();
  });

  test('addresses in Japanese order for Japan, Western order otherwise', () => {
    expect(addressLines(address({ street: '千代田1-1', locality: '千代田区', region: '東京都', postalCode: '100-0001', country: '日本' }))).toEqual(['〒100-0001', '東京都千代田区千代田1-1']);
    expect(addressLines(address({ street: '1 Main St', extended: 'Apt 2', locality: 'Springfield', region: 'IL', postalCode: '62701', country: 'USA' }))).toEqual([
      '1 Main St',
      'Apt 2',
      'Springfield IL 62701',
      'USA',
    ]);
  });

  test('dates with Intl, with or without a year', () => {
    expect(formatContactDate({ year: 1990, month: 3, day: 15 }, 'en')).toBe('March 15, 1990');
    expect(formatContactDate({ month: 3, day: 15 }, 'en')).toBe('March 15');
    expect(formatContactDate({ year: 1990, month: 3, day: 15 }, 'ja')).toBe('1990年3月15日');
    expect(formatContactDate({ month: 2, day: 29 }, 'ja')).toBe('2月29日');
  });

  test('a photo carried in the card becomes a Blob; a link or damaged data does not', async () => {
    const blob = photoBlob(contact('p', 'P', { photo: { mediaType: 'image/png', base64: 'AAEC\nAw==' } }));
    expect(blob?.type).toBe('image/png');
    expect([...new Uint8Array(await blob!.arrayBuffer())]).toEqual([0, 1, 2, 3]);
    expect(photoBlob(contact('p', 'P', { photo: { url: 'https://example.jp/p.jpg' } }))).toBeUndefined();
    expect(photoBlob(contact('p', 'P', { photo: { mediaType: 'image/jpeg', base64: '***' } }))).toBeUndefined();
    expect(photoBlob(BOOK.yamada)).toBeUndefined();
  });
});
