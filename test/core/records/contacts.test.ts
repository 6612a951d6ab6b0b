import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseContacts } from '../../../src/core/records/contacts-parse.ts';
import { toVCard } from '../../../src/core/records/contacts.ts';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/records/contacts');
const load = (name: string) => parseContacts(new Uint8Array(readFileSync(join(DIR, name))));
const NAME0 = { additional: '', prefix: '', suffix: '' };

describe('parseContacts fixtures', () => {
  test('iPhone 3.0: itemN labels, folded photo, phonetic, omitted year, X-ABDATE anniversary', () => {
    const { records, errors } = load('iphone-labels-photo.vcf');
    expect(errors).toEqual([]);
    expect(records).toHaveLength(1);
    const c = records[0]!;
    expect(c.uid).toMatch(/^vcard-[0-9a-f]{16}$/);
    expect(c.formattedName).toBe('山田 太郎');
    expect(c.name).toEqual({ family: '山田', given: '太郎', ...NAME0 });
    expect(c.reading).toEqual({ family: 'やまだ', given: 'たろう' });
    expect(c.organization).toBe('株式会社クラ');
    expect(c.department).toBe('開発部');
    expect(c.title).toBe('エンジニア');
    expect(c.emails).toEqual([{ value: 'taro@example.jp', types: ['home', 'pref'] }]);
    expect(c.phones).toEqual([
      { value: '090-1234-5678', types: ['cell', 'pref'] },
      { value: '03-1234-5678', types: [], label: 'Other' },
      { value: '+81 3 9999 0000', types: [], label: '実家' },
    ]);
    expect(c.addresses).toEqual([
      { poBox: '', extended: '', street: '千代田1-1', locality: '千代田区', region: '東京都', postalCode: '100-0001', country: '日本', types: ['home', 'pref'], label: 'Home' },
    ]);
    expect(c.urls).toEqual([{ value: 'https://example.jp/taro', types: ['pref'], label: 'HomePage' }]);
    expect(c.birthday).toEqual({ month: 3, day: 15 });
    expect(c.anniversary).toEqual({ year: 2015, month: 6, day: 1 });
    expect(c.note).toBe('メモ\n二行目, カンマ');
    expect(c.categories).toEqual(['友人', '仕事']);
    const bytes = Array.from({ length: 120 }, (_, i) => i);
    expect(c.photo).toEqual({ mediaType: 'image/jpeg', base64: Buffer.from(bytes).toString('base64') });
    expect(c.rev).toBeUndefined();
    expect(parseContacts(readFileSync(join(DIR, 'iphone-labels-photo.vcf'), 'utf8')).records[0]!.uid).toBe(c.uid);
  });

  test('Android 2.1: QUOTED-PRINTABLE UTF-8 with soft breaks, bare params, X-PHONETIC', () => {
    const { records, errors } = load('android-qp.vcf');
    expect(errors).toEqual([]);
    expect(records).toHaveLength(2);
    const [a, b] = records;
    expect(a!.formattedName).toBe('佐藤　花子');
    expect(a!.name).toEqual({ family: '佐藤', given: '花子', ...NAME0 });
    expect(a!.reading).toEqual({ family: 'さとう', given: 'はなこ' });
    expect(a!.phones).toEqual([
      { value: '080-1111-2222', types: ['cell', 'pref'] },
      { value: '0312345678', types: ['home'] },
      { value: '0398765432', types: ['work', 'fax'] },
    ]);
    expect(a!.emails).toEqual([{ value: 'hanako@example.com', types: ['home'] }]);
    expect(a!.addresses).toEqual([{ poBox: '', extended: '', street: '梅田1-2-3', locality: '大阪市', region: '大阪府', postalCode: '530-0001', country: '', types: ['home'] }]);
    expect(a!.note).toBe('一行目\n二行目');
    expect(a!.birthday).toEqual({ year: 1990, month: 12, day: 1 });
    expect(b!.formattedName).toBe('John Smith');
    expect(b!.phones).toEqual([{ value: '+1-555-0100', types: ['cell'] }]);
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Array.from({ length: 90 }, (_, i) => i)]).toString('base64');
    expect(a!.photo).toEqual({ mediaType: 'image/jpeg', base64: jpeg });
    expect(b!.photo).toEqual({ mediaType: 'image/gif', base64: jpeg });
  });

  test('a BEGIN:VCARD inside an open card truncates the open one and reads the next', () => {
    const { records, errors } = parseContacts('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Lost\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kept\r\nEND:VCARD\r\n');
    expect(records.map((r) => r.formattedName)).toEqual(['Kept']);
    expect(errors).toEqual([{ code: 'truncated', line: 1, item: 0, message: expect.any(String) }]);
  });

  test('Google 3.0: full N, escaped comma/semicolon/colon, year-less BDAY, photo URL, categories', () => {
    const { records, errors } = load('google.vcf');
    expect(errors).toEqual([]);
    const c = records[0]!;
    expect(c.formattedName).toBe('Alice Example');
    expect(c.name).toEqual({ family: 'Example', given: 'Alice', additional: 'Marie', prefix: 'Dr.', suffix: 'PhD' });
    expect(c.nickname).toBe('Ally');
    expect(c.emails).toEqual([{ value: 'alice@work.example', types: ['work'] }, { value: 'alice@gmail.example', types: [] }]);
    expect(c.phones).toEqual([{ value: '+44 7700 900123', types: ['cell'] }, { value: '+44 20 7946 0000', types: ['work'] }]);
    expect(c.addresses[0]).toEqual({ poBox: '', extended: '', street: '1 Main St, Suite 2', locality: 'London', region: '', postalCode: 'SW1A 1AA', country: 'United Kingdom', types: ['work'] });
    expect(c.organization).toBe('Example Ltd.');
    expect(c.department).toBeUndefined();
    expect(c.title).toBe('CTO');
    expect(c.birthday).toEqual({ month: 7, day: 4 });
    expect(c.urls).toEqual([{ value: 'https://alice.example', types: [] }]);
    expect(c.photo).toEqual({ url: 'https://lh3.googleusercontent.com/contacts/abc' });
    expect(c.categories).toEqual(['myContacts', 'Starred']);
    expect(c.note).toBe('likes tea; not coffee');
    expect(c.reading).toBeUndefined();
  });

  test('Outlook 2.1: CRLF, X-MS-* ignored, QP note with soft break, REV', () => {
    const { records, errors } = load('outlook.vcf');
    expect(errors).toEqual([]);
    const c = records[0]!;
    expect(c.formattedName).toBe('Bob Brown');
    expect(c.name).toEqual({ family: 'Brown', given: 'Bob', ...NAME0 });
    expect(c.organization).toBe('Contoso');
    expect(c.department).toBe('Sales');
    expect(c.title).toBe('Manager');
    expect(c.note).toBe('Call after 5pm\nThanks');
    expect(c.phones).toEqual([
      { value: '(425) 555-0101', types: ['work'] },
      { value: '(425) 555-0102', types: ['cell'] },
      { value: '(425) 555-0103', types: ['work', 'fax'] },
    ]);
    expect(c.addresses).toEqual([{ poBox: '', extended: '', street: 'One Microsoft Way', locality: 'Redmond', region: 'WA', postalCode: '98052', country: 'United States of America', types: ['work', 'pref'] }]);
    expect(c.urls).toEqual([{ value: 'http://www.contoso.com', types: ['work'] }]);
    expect(c.emails).toEqual([{ value: 'bob@contoso.com', types: ['pref'] }]);
    expect(c.rev).toBe('20240105T101500Z');
  });

  test('feature phone 2.1: Shift_JIS file, SOUND;X-IRMC-N, QP with Shift_JIS bytes, no FN', () => {
    const raw = readFileSync(join(DIR, 'feature-phone-sjis.vcf'));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(raw)).toThrow();
    const { records, errors } = load('feature-phone-sjis.vcf');
    expect(errors).toEqual([]);
    expect(records).toHaveLength(2);
    const [a, b] = records;
    expect(a!.formattedName).toBe('鈴木 一郎');
    expect(a!.name).toEqual({ family: '鈴木', given: '一郎', ...NAME0 });
    expect(a!.reading).toEqual({ family: 'ｽｽﾞｷ', given: 'ｲﾁﾛｳ' });
    expect(a!.phones).toEqual([{ value: '09011112222', types: ['cell'] }, { value: '0311112222', types: ['home'] }]);
    expect(a!.emails).toEqual([{ value: 'ichiro@docomo.ne.jp', types: [] }]);
    expect(b!.name).toEqual({ family: '田中', given: '花子', ...NAME0 });
    expect(b!.formattedName).toBe('田中 花子');
    expect(b!.reading).toEqual({ family: 'ﾀﾅｶ', given: 'ﾊﾅｺ' });
    expect(b!.note).toBe('表示ソ\\テスト');
    expect(b!.phones).toEqual([{ value: '08033334444', types: ['cell'] }]);
  });

  test('vCard 4.0: UID, SORT-AS reading, quoted TYPE list, PREF=1, --MMDD, ANNIVERSARY, data: photo', () => {
    const { records, errors } = load('vcard4.vcf');
    expect(errors).toEqual([]);
    const c = records[0]!;
    expect(c.uid).toBe('urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1');
    expect(c.formattedName).toBe('高橋 健');
    expect(c.name).toEqual({ family: '高橋', given: '健', ...NAME0 });
    expect(c.reading).toEqual({ family: 'たかはし', given: 'けん' });
    expect(c.phones).toEqual([{ value: 'tel:+81-90-5555-6666', types: ['cell', 'text', 'pref'] }]);
    expect(c.emails).toEqual([{ value: 'ken@example.org', types: ['work'] }]);
    expect(c.birthday).toEqual({ month: 3, day: 15 });
    expect(c.anniversary).toEqual({ year: 2010, month: 6, day: 1 });
    expect(c.photo).toEqual({ mediaType: 'image/png', base64: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd' });
    expect(c.rev).toBe('20231120T080000Z');
  });

  test('iPhone share of several contacts (3.0, no UID): phonetic readings, itemN label, company card, omitted year', () => {
    const { records, errors } = load('iphone-share-several.vcf');
    expect(errors).toEqual([]);
    expect(records.map((r) => r.formattedName)).toEqual(['佐藤 健', '鈴木 美咲', 'Emily Tanaka', '高橋', 'ピザ屋 マルゲリータ', "Seán O'Brien"]);
    expect(records.every((r) => r.uid.startsWith('vcard-'))).toBe(true);
    expect(new Set(records.map((r) => r.uid)).size).toBe(6);
    const [sato, suzuki, emily, takahashi, pizza, sean] = records;
    expect(sato).toMatchObject({ name: { family: '佐藤', given: '健', ...NAME0 }, reading: { family: 'さとう', given: 'けん' }, birthday: { year: 1990, month: 4, day: 1 } });
    expect(sato!.phones).toEqual([{ value: '090-1234-5678', types: ['cell', 'pref'] }]);
    expect(sato!.emails).toEqual([{ value: 'ken.sato@example.jp', types: ['home', 'pref'] }]);
    expect(suzuki).toMatchObject({ organization: '株式会社サンプル', department: '営業部', title: '課長', reading: { family: 'すずき', given: 'みさき' } });
    expect(suzuki!.phones).toEqual([{ value: '03-1111-2222', types: ['work'] }, { value: '080-9999-0000', types: [], label: '社用携帯' }]);
    expect(emily!.addresses).toEqual([{ poBox: '', extended: '', street: '1 Market St', locality: 'San Francisco', region: 'CA', postalCode: '94105', country: 'United States', types: ['home'] }]);
    expect(takahashi).toMatchObject({ reading: { family: 'たかはし' }, note: '大学の同期', phones: [{ value: '06-3333-4444', types: ['home'] }] });
    expect(pizza).toMatchObject({ organization: 'ピザ屋 マルゲリータ', urls: [{ value: 'https://pizza.example.jp', types: ['homepage'] }] });
    expect(pizza!.name).toBeUndefined();
    expect(sean).toMatchObject({ name: { family: "O'Brien", given: 'Seán', ...NAME0 }, birthday: { month: 3, day: 17 }, emails: [{ value: 'sean@example.ie', types: [] }] });
    expect(sean!.birthday!.year).toBeUndefined();
  });

  test('one card without a name and one with bad QP: errors, the others kept', () => {
    const { records, errors } = load('multiple-with-one-broken.vcf');
    expect(records.map((r) => r.formattedName)).toEqual(['First', 'Bad Qp', 'Last']);
    expect(records[1]!.note).toBeUndefined();
    expect(errors).toEqual([
      { code: 'missing-field', line: 7, item: 1, message: expect.any(String) },
      { code: 'bad-encoding', line: 15, item: 2, message: expect.any(String) },
    ]);
  });

  test('unterminated BEGIN:VCARD is truncated at its line', () => {
    const { records, errors } = load('truncated.vcf');
    expect(records.map((r) => r.formattedName)).toEqual(['Complete One']);
    expect(errors).toEqual([{ code: 'truncated', line: 5, item: 1, message: expect.any(String) }]);
  });

  test('not a vCard, empty input, unsupported version', () => {
    expect(parseContacts('hello\nworld').errors[0]!.code).toBe('unknown-format');
    expect(parseContacts('')).toEqual({ records: [], errors: [] });
    expect(parseContacts('BEGIN:VCARD\nVERSION:5.0\nFN:x\nEND:VCARD\n').errors[0]!.code).toBe('unsupported');
  });
});

describe('toVCard', () => {
  const c = load('iphone-labels-photo.vcf').records[0]!;
  test('3.0: CRLF, folded at 75 octets on UTF-8 boundaries, item labels, X-PHONETIC, Apple omitted year', () => {
    const out = toVCard([c], { version: '3.0' });
    const lines = out.split('\r\n');
    expect(out.endsWith('END:VCARD\r\n')).toBe(true);
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    for (const l of lines) expect(new TextEncoder().encode(l).length).toBeLessThanOrEqual(75);
    expect(lines).toContain('VERSION:3.0');
    expect(lines).toContain('item1.X-ABLabel:Other');
    expect(lines).toContain('X-PHONETIC-LAST-NAME:やまだ');
    expect(lines).toContain('BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-15');
    expect(lines).toContain('NOTE:メモ\\n二行目\\, カンマ');
    expect(parseContacts(out).records).toEqual([c]);
  });
  test('4.0: SORT-AS, --MMDD, data: photo', () => {
    const out = toVCard([c], { version: '4.0' });
    expect(out).toContain('N;SORT-AS="やまだ,たろう":山田;太郎;;;');
    expect(out).toContain('BDAY:--0315');
    expect(out).toContain('PHOTO:data:image/jpeg;base64,');
    expect(parseContacts(out).records).toEqual([c]);
  });
});
