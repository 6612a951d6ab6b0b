import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseCallLog, toCallLogCsv, type Call } from '../../../src/core/records/calls.ts';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/records/calls');
const bytes = (name: string) => new Uint8Array(readFileSync(join(DIR, name)));
const UID = /^call-[0-9a-f]{16}$/;
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => Date.UTC(y, mo - 1, d, h, mi, s);

/** Checks every field of `call`: the expected ones one by one, and that it has no others. */
function expectCall(call: Call | undefined, expected: Omit<Call, 'uid'>): void {
  expect(call).toBeDefined();
  const c = call!;
  expect(c.uid).toMatch(UID);
  for (const [key, value] of Object.entries(expected)) expect(c[key as keyof Call], key).toBe(value);
  expect(Object.keys(c).sort()).toEqual(['uid', ...Object.keys(expected)].sort());
}

describe('SMS Backup & Restore XML', () => {
  const sbr = { subscriptionId: '1', presentation: 'allowed' } as const;

  test('every call type, Japanese names, entities, emoji as surrogate entities, restricted numbers', () => {
    const { records, errors } = parseCallLog(bytes('sms-backup-restore.xml'));
    expect(errors).toEqual([]);
    expect(records).toHaveLength(9);
    expectCall(records[0], { number: '+819012345678', normalized: '+819012345678', name: '山田 花子', type: 'incoming', start: 1700000000000, durationSeconds: 65, ...sbr });
    expectCall(records[1], { number: '0312345678', normalized: '0312345678', name: '佐藤 & 鈴木 法律事務所', type: 'outgoing', start: 1700003600000, durationSeconds: 312, ...sbr });
    expectCall(records[2], { number: '+819087654321', normalized: '+819087654321', type: 'missed', start: 1700007200000, durationSeconds: 0, subscriptionId: '2', presentation: 'allowed' });
    expectCall(records[3], { number: '', normalized: '', type: 'incoming', start: 1700010800000, durationSeconds: 30, subscriptionId: '1', presentation: 'restricted' });
    expectCall(records[4], { number: '1417', normalized: '1417', type: 'voicemail', start: 1700014400000, durationSeconds: 20, ...sbr });
    expectCall(records[5], { number: '+818011112222', normalized: '+818011112222', name: '田中 一郎', type: 'rejected', start: 1700018000000, durationSeconds: 0, ...sbr });
    expectCall(records[6], { number: '+815011113333', normalized: '+815011113333', type: 'blocked', start: 1700021600000, durationSeconds: 0, subscriptionId: '2', presentation: 'allowed' });
    // type 7, answered on another device, is an incoming call
    expectCall(records[7], { number: '09044445555', normalized: '09044445555', name: '高橋 美咲 😀', type: 'incoming', start: 1700025200000, durationSeconds: 95, ...sbr });
    expectCall(records[8], { number: '0120123456', normalized: '0120123456', type: 'outgoing', start: 1700028800000, durationSeconds: 48, subscriptionId: '2', presentation: 'allowed', postDialDigits: ',123#' });
  });

  test('a truncated backup keeps the complete calls and says where it was cut', () => {
    const full = parseCallLog(bytes('sms-backup-restore.xml')).records;
    const { records, errors } = parseCallLog(bytes('sms-backup-restore-truncated.xml'));
    expect(records).toEqual(full.slice(0, 3));
    expect(errors).toEqual([{ code: 'truncated', item: 3, line: 8, message: expect.any(String) }]);
  });

  test('a malformed element between good ones is reported; the others are kept', () => {
    const xml =
      "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<calls count=\"3\">\n" +
      '  <call number="111" duration="1" date="1700000000000" type="1" />\n' +
      '  <call number="222" duration="2" date=1700000000001 type="2" />\n' +
      '  <call number="333" duration="3" date="1700000000002" type="9" />\n' +
      '  <call number="444" duration="x" date="1700000000003" type="2" />\n' +
      '  <call duration="5" date="1700000000004" type="2" />\n' +
      '  <call number="666" duration="6" date="1700000000005" type="3" contact_name="null" />\n</calls>\n';
    const { records, errors } = parseCallLog(xml);
    expect(records.map((r) => r.number)).toEqual(['111', '666']);
    expect(records[1]!.name).toBeUndefined();
    expect(errors.map((e) => [e.code, e.line, e.item])).toEqual([
      ['malformed', 4, 1],
      ['malformed', 5, 2],
      ['bad-number', 6, 3],
      ['missing-field', 7, 4],
    ]);
  });

  test('a well-formed file with a bad call reports it with its line', () => {
    const xml = '<calls count="2">\n<call number="1" duration="1" date="soon" type="1" />\n<call number="2" duration="1" date="1" type="1" />\n</calls>';
    const { records, errors } = parseCallLog(xml);
    expect(records.map((r) => r.number)).toEqual(['2']);
    expect(errors).toEqual([{ code: 'bad-date', item: 0, line: 2, message: expect.any(String) }]);
  });

  test('other XML, and text that is neither CSV nor XML, is an unknown format', () => {
    expect(parseCallLog('<smses count="0"></smses>').errors[0]!.code).toBe('unknown-format');
    expect(parseCallLog('hello world\nthis is not a call log\n').errors[0]!.code).toBe('unknown-format');
    expect(parseCallLog(new Uint8Array([0, 1, 2, 255, 254])).errors[0]!.code).toBe('unknown-format');
    expect(parseCallLog('').errors[0]!.code).toBe('unknown-format');
  });
});

describe('CSV exports', () => {
  test('English, quoted, h:mm:ss durations, in the importer zone', () => {
    const { records, errors } = parseCallLog(bytes('english.csv'), { timeZone: 'Asia/Tokyo' });
    expect(errors).toEqual([]);
    expect(records).toHaveLength(7);
    expectCall(records[0], { number: '+819012345678', normalized: '+819012345678', name: 'Hanako Yamada', type: 'incoming', start: 1700000000000, durationSeconds: 65 });
    expectCall(records[1], { number: '+81 3-1234-5678', normalized: '+81312345678', type: 'outgoing', start: 1700003600000, durationSeconds: 312 });
    expectCall(records[2], { number: '+818011112222', normalized: '+818011112222', name: 'Ichiro Tanaka', type: 'missed', start: 1700007200000, durationSeconds: 0 });
    expectCall(records[3], { number: '1417', normalized: '1417', name: 'Voicemail', type: 'voicemail', start: 1700010800000, durationSeconds: 20 });
    expectCall(records[4], { number: '+353871234567', normalized: '+353871234567', name: 'O\'Brien, "Pat"', type: 'rejected', start: 1700014400000, durationSeconds: 0 });
    expectCall(records[5], { number: '+815011113333', normalized: '+815011113333', type: 'blocked', start: 1700018000000, durationSeconds: 0 });
    expectCall(records[6], { number: '09044445555', normalized: '09044445555', name: 'Misaki Takahashi', type: 'incoming', start: 1700021600000, durationSeconds: 3723 });
  });

  test('dates without a zone are UTC by default', () => {
    expect(parseCallLog(bytes('english.csv')).records[0]!.start).toBe(utc(2023, 11, 15, 7, 13, 20));
  });

  test('Shift_JIS with a title row above 日時/電話番号/名前/種別/通話時間', () => {
    const { records, errors } = parseCallLog(bytes('japanese-sjis.csv'), { timeZone: 'Asia/Tokyo' });
    expect(errors).toEqual([]);
    expect(records).toHaveLength(4);
    expectCall(records[0], { number: '090-1234-5678', normalized: '09012345678', name: '山田 花子', type: 'incoming', start: 1700000000000, durationSeconds: 65 });
    expectCall(records[1], { number: '03-1234-5678', normalized: '0312345678', type: 'outgoing', start: 1700002800000, durationSeconds: 312 });
    expectCall(records[2], { number: '080-1111-2222', normalized: '08011112222', name: '田中 一郎', type: 'missed', start: 1700008200000, durationSeconds: 0 });
    expectCall(records[3], { number: '0120-123-456', normalized: '0120123456', name: 'ｻﾎﾟｰﾄｾﾝﾀｰ', type: 'rejected', start: 1700136309000, durationSeconds: 0 });
  });

  test('日付 + 時刻 columns, 相手先/相手/発着信, 1分5秒 durations, full-width digits', () => {
    const { records, errors } = parseCallLog(bytes('japanese-split-date.csv'), { timeZone: 'Asia/Tokyo' });
    expect(errors).toEqual([]);
    expect(records).toHaveLength(5);
    expectCall(records[0], { number: '090-1234-5678', normalized: '09012345678', name: '山田 花子', type: 'incoming', start: utc(2023, 11, 14, 22, 13), durationSeconds: 65 });
    expectCall(records[1], { number: '０３－１２３４－５６７８', normalized: '0312345678', type: 'outgoing', start: utc(2023, 11, 14, 23, 0, 30), durationSeconds: 65 });
    expectCall(records[2], { number: '080-1111-2222', normalized: '08011112222', name: '田中 一郎', type: 'missed', start: utc(2023, 11, 15, 14, 59), durationSeconds: 0 });
    expectCall(records[3], { number: '1417', normalized: '1417', type: 'voicemail', start: utc(2023, 11, 15, 15, 1), durationSeconds: 3723 });
    expectCall(records[4], { number: '050-1111-3333', normalized: '05011113333', type: 'blocked', start: utc(2023, 11, 16, 3), durationSeconds: 0 });
  });

  test('semicolons and DD.MM.YYYY dates (European), Berlin time', () => {
    const { records, errors } = parseCallLog(bytes('semicolon.csv'), { timeZone: 'Europe/Berlin' });
    expect(errors).toEqual([]);
    expect(records).toHaveLength(3);
    expectCall(records[0], { number: '+49 30 1234567', normalized: '+49301234567', name: 'Müller, Hans', type: 'incoming', start: utc(2023, 11, 15, 6, 13, 20), durationSeconds: 65 });
    expectCall(records[1], { number: '+49 170 7654321', normalized: '+491707654321', type: 'outgoing', start: utc(2023, 11, 15, 17, 2), durationSeconds: 312 });
    expectCall(records[2], { number: '+33 1 23 45 67 89', normalized: '+33123456789', name: 'Dubois; Claire', type: 'missed', start: utc(2023, 11, 16, 8, 0, 5), durationSeconds: 0 });
  });

  test('US MM/DD/YYYY h:mm AM/PM, m:ss durations, New York time', () => {
    const { records, errors } = parseCallLog(bytes('us-ampm.csv'), { timeZone: 'America/New_York' });
    expect(errors).toEqual([]);
    expect(records).toHaveLength(3);
    expectCall(records[0], { number: '(555) 123-4567', normalized: '5551234567', name: 'Smith, John', type: 'incoming', start: utc(2023, 11, 15, 12, 13), durationSeconds: 65 });
    expectCall(records[1], { number: '555-987-6543', normalized: '5559876543', type: 'outgoing', start: utc(2023, 11, 15, 17, 5), durationSeconds: 725 });
    expectCall(records[2], { number: '+1 (212) 555-0100', normalized: '+12125550100', name: 'Jane Doe', type: 'missed', start: utc(2023, 11, 16, 5, 30), durationSeconds: 0 });
  });

  test('bad rows are reported with their line and code; good rows around them are kept', () => {
    const { records, errors } = parseCallLog(bytes('one-bad-row.csv'));
    expect(records).toHaveLength(2);
    expectCall(records[0], { number: '+819012345678', normalized: '+819012345678', name: 'Hanako', type: 'incoming', start: 1700000000000, durationSeconds: 65 });
    expectCall(records[1], { number: '+818011112222', normalized: '+818011112222', name: 'Ichiro', type: 'missed', start: utc(2023, 11, 15, 11), durationSeconds: 0 });
    expect(errors.map((e) => [e.code, e.line, e.item])).toEqual([
      ['missing-field', 3, 1],
      ['bad-date', 4, 2],
      ['malformed', 5, 3],
      ['bad-number', 6, 4],
    ]);
  });

  test('tab-separated, epoch ms dates, Date + Time columns in English', () => {
    const tsv = 'Phone\tContact\tDirection\tDate\tTime\tSeconds\n+819012345678\t花子\tOUTGOING\t2023-03-12\t03:30\t7\n';
    const { records, errors } = parseCallLog(tsv, { timeZone: 'America/New_York' });
    expect(errors).toEqual([]);
    expectCall(records[0], { number: '+819012345678', normalized: '+819012345678', name: '花子', type: 'outgoing', start: utc(2023, 3, 12, 7, 30), durationSeconds: 7 });
    const ms = parseCallLog('Number,Start,Type\n123,1700000000000,着信\n');
    expect(ms.records[0]!.start).toBe(1700000000000);
  });

  test('a CSV cut inside a quoted name or a row reports the cut row as truncated', () => {
    const csv = readFileSync(join(DIR, 'english.csv'), 'utf8');
    const inQuote = parseCallLog(csv.slice(0, csv.indexOf('Brien') + 2), { timeZone: 'Asia/Tokyo' });
    expect(inQuote.records.map((r) => r.name ?? '')).toEqual(['Hanako Yamada', '', 'Ichiro Tanaka', 'Voicemail']);
    expect(inQuote.errors).toEqual([{ code: 'truncated', line: 6, item: 4, message: expect.any(String) }]);
    const inRow = parseCallLog(csv.slice(0, csv.indexOf('"Blocked"')), { timeZone: 'Asia/Tokyo' });
    expect(inRow.records).toHaveLength(5);
    expect(inRow.errors).toEqual([{ code: 'truncated', line: 7, item: 5, message: expect.any(String) }]);
  });

  test('an unknown time zone is reported once and dates are read as UTC', () => {
    const { records, errors } = parseCallLog(bytes('english.csv'), { timeZone: 'Mars/Olympus' });
    expect(records).toHaveLength(7);
    expect(records[0]!.start).toBe(utc(2023, 11, 15, 7, 13, 20));
    expect(errors.map((e) => e.code)).toEqual(['bad-date']);
  });
});

describe('toCallLogCsv', () => {
  test('the fixed English header, ISO 8601 UTC dates, and back exactly', () => {
    const calls = parseCallLog(bytes('sms-backup-restore.xml')).records;
    const csv = toCallLogCsv(calls);
    expect(csv.split('\r\n')[0]).toBe('\uFEFFDate,Number,Name,Type,Duration (s),SIM,Presentation,Country ISO,Post-dial digits');
    expect(csv.split('\r\n')[1]).toBe('2023-11-14T22:13:20.000Z,+819012345678,山田 花子,Incoming,65,1,allowed,,');
    const back = parseCallLog(new TextEncoder().encode(csv), { timeZone: 'Asia/Tokyo' });
    expect(back.errors).toEqual([]);
    expect(back.records).toEqual(calls);
  });
});
