import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseCalendar } from '../../../src/core/records/calendar.ts';
import { expandOccurrences } from '../../../src/core/records/calendar-expand.ts';
import { toICalendar } from '../../../src/core/records/calendar-write.ts';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/records/calendar');
const fixture = (name: string) => parseCalendar(readFileSync(join(DIR, name)));
const iso = (ms: number) => new Date(ms).toISOString();

describe('Google Calendar: weekly event with EXDATEs and an overridden instance', () => {
  const { records, errors } = fixture('google-weekly-exdate.ics');
  test('reads the master and the override field by field', () => {
    expect(errors).toEqual([]);
    expect(records).toHaveLength(2);
    const [master, override] = records;
    expect(master!.uid).toBe('7kukuqrfedlm2f9t6vmpbsl2bc@google.com');
    expect(master!.recurrenceId).toBeUndefined();
    expect(master!.summary).toBe('週次ミーティング');
    expect(master!.description).toBe('週次の定例, 議題は共有ドキュメント');
    expect(master!.location).toBe('会議室A');
    expect(master!.status).toBe('CONFIRMED');
    expect(master!.start).toEqual({ dateTime: '2024-04-01T10:00:00', timeZone: 'Asia/Tokyo' });
    expect(master!.end).toEqual({ dateTime: '2024-04-01T11:00:00', timeZone: 'Asia/Tokyo' });
    expect(master!.rrule).toBe('FREQ=WEEKLY;BYDAY=MO');
    expect(master!.exdates).toEqual([
      { dateTime: '2024-04-15T10:00:00', timeZone: 'Asia/Tokyo' },
      { dateTime: '2024-04-29T10:00:00', timeZone: 'Asia/Tokyo' },
    ]);
    expect(master!.transparency).toBe('OPAQUE');
    expect(master!.created).toBe('2024-03-20T05:00:00Z');
    expect(master!.lastModified).toBe('2024-04-10T02:00:00Z');
    expect(master!.sequence).toBe(1);
    expect(override!.uid).toBe(master!.uid);
    expect(override!.recurrenceId).toBe('2024-04-22T10:00:00[Asia/Tokyo]');
    expect(override!.summary).toBe('週次ミーティング（振替）');
    expect(override!.description).toBe('');
    expect(override!.location).toBe('会議室B');
    expect(override!.start).toEqual({ dateTime: '2024-04-23T14:00:00', timeZone: 'Asia/Tokyo' });
    expect(override!.sequence).toBe(2);
  });
  test('April expands to 1st, 8th, the override on the 23rd; not the EXDATEs 15th and 29th', () => {
    const occ = expandOccurrences(records, { from: '2024-04-01T00:00:00+09:00', to: '2024-05-01T00:00:00+09:00' }, 'Asia/Tokyo');
    expect(occ.map((o) => [iso(o.start), iso(o.end), o.event.summary])).toEqual([
      ['2024-04-01T01:00:00.000Z', '2024-04-01T02:00:00.000Z', '週次ミーティング'],
      ['2024-04-08T01:00:00.000Z', '2024-04-08T02:00:00.000Z', '週次ミーティング'],
      ['2024-04-23T05:00:00.000Z', '2024-04-23T06:00:00.000Z', '週次ミーティング（振替）'],
    ]);
    expect(occ.every((o) => !o.allDay)).toBe(true);
  });
  test('the same instants whatever the viewer zone; May continues weekly', () => {
    const occ = expandOccurrences(records, { from: '2024-05-01T00:00:00Z', to: '2024-05-21T00:00:00Z' }, 'America/New_York');
    expect(occ.map((o) => iso(o.start))).toEqual(['2024-05-06T01:00:00.000Z', '2024-05-13T01:00:00.000Z', '2024-05-20T01:00:00.000Z']);
  });
  test('round trip keeps both events', () => {
    expect(parseCalendar(toICalendar(records))).toEqual({ records, errors: [] });
  });
});

describe('Google Calendar: all-day events', () => {
  const { records, errors } = fixture('google-allday.ics');
  test('dates with exclusive DTEND, categories, transparency', () => {
    expect(errors).toEqual([]);
    expect(records).toHaveLength(2);
    const [holiday, trip] = records;
    expect(holiday!.uid).toBe('20240503_holiday@google.com');
    expect(holiday!.summary).toBe('憲法記念日');
    expect(holiday!.description).toBe('祝日');
    expect(holiday!.start).toEqual({ date: '2024-05-03' });
    expect(holiday!.end).toEqual({ date: '2024-05-04' });
    expect(holiday!.categories).toEqual(['Holidays', '祝日']);
    expect(holiday!.transparency).toBe('TRANSPARENT');
    expect(holiday!.sequence).toBe(0);
    expect(trip!.start).toEqual({ date: '2024-04-27' });
    expect(trip!.end).toEqual({ date: '2024-04-30' });
  });
  test('all-day occurrences are midnight to midnight in the viewer zone', () => {
    const occ = expandOccurrences(records, { from: '2024-04-01T00:00:00Z', to: '2024-06-01T00:00:00Z' }, 'Asia/Tokyo');
    expect(occ.map((o) => [iso(o.start), iso(o.end), o.allDay])).toEqual([
      ['2024-04-26T15:00:00.000Z', '2024-04-29T15:00:00.000Z', true],
      ['2024-05-02T15:00:00.000Z', '2024-05-03T15:00:00.000Z', true],
    ]);
  });
  test('round trip', () => expect(parseCalendar(toICalendar(records))).toEqual({ records, errors: [] }));
});

describe('Apple Calendar: alarms, folded lines, America/New_York', () => {
  const { records, errors } = fixture('apple-alarms.ics');
  test('fields and alarms', () => {
    expect(errors).toEqual([]);
    expect(records).toHaveLength(1);
    const e = records[0]!;
    expect(e.uid).toBe('5F3C1B2A-9D7E-4C36-8E0B-2B6A0F7F1D11');
    expect(e.summary).toBe('Dentist appointment with Dr. Smith at the clinic on Main Street, bring insurance card');
    expect(e.location).toBe('Main Street Dental\n123 Main St, Springfield');
    expect(e.url).toBe('https://example.com/appointments/42');
    expect(e.start).toEqual({ dateTime: '2024-03-12T09:00:00', timeZone: 'America/New_York' });
    expect(e.end).toEqual({ dateTime: '2024-03-12T10:00:00', timeZone: 'America/New_York' });
    expect(e.alarms).toEqual([
      { action: 'AUDIO', trigger: { relative: '-PT30M' } },
      { action: 'DISPLAY', trigger: { absolute: '2024-03-11T22:00:00Z' }, description: 'Reminder' },
    ]);
    expect(e.created).toBe('2024-03-01T15:15:02Z');
    expect(e.lastModified).toBe('2024-03-01T15:16:22Z');
    expect(e.sequence).toBe(1);
  });
  test('after the DST change (EDT, UTC-4)', () => {
    const [o] = expandOccurrences(records, { from: '2024-03-01T00:00:00Z', to: '2024-04-01T00:00:00Z' }, 'Asia/Tokyo');
    expect([iso(o!.start), iso(o!.end)]).toEqual(['2024-03-12T13:00:00.000Z', '2024-03-12T14:00:00.000Z']);
  });
  test('round trip', () => expect(parseCalendar(toICalendar(records))).toEqual({ records, errors: [] }));
});

describe('Outlook: Windows zone names and custom VTIMEZONEs', () => {
  const { records, errors } = fixture('outlook-custom-vtimezone.ics');
  test('"Tokyo Standard Time" is Asia/Tokyo; a custom US Pacific VTIMEZONE is America/Los_Angeles', () => {
    expect(errors).toEqual([]);
    expect(records).toHaveLength(3);
    const [meeting, sync, odd] = records;
    expect(meeting!.uid).toBe('040000008200E00074C5B7101A82E00800000000B0C1D2E3F4A5DA01000000000000000010000000A1B2C3D4E5F60718293A4B5C6D7E8F90');
    expect(meeting!.summary).toBe('進捗会議');
    expect(meeting!.description).toBe('プロジェクトの進捗確認\n\n');
    expect(meeting!.location).toBe('Teams 会議');
    expect(meeting!.start).toEqual({ dateTime: '2024-06-10T10:00:00', timeZone: 'Asia/Tokyo' });
    expect(meeting!.end).toEqual({ dateTime: '2024-06-10T11:00:00', timeZone: 'Asia/Tokyo' });
    expect(meeting!.organizer).toEqual({ email: 'taro@example.co.jp', name: '山田 太郎' });
    expect(meeting!.alarms).toEqual([{ action: 'DISPLAY', trigger: { relative: '-PT15M' }, description: 'Reminder' }]);
    expect(sync!.start).toEqual({ dateTime: '2024-07-10T09:00:00', timeZone: 'America/Los_Angeles' });
    expect(sync!.end).toEqual({ dateTime: '2024-07-10T09:30:00', timeZone: 'America/Los_Angeles' });
    expect(odd!.start).toMatchObject({ dateTime: '2024-07-10T09:00:00', tzid: 'Mars Base Time' });
    expect(odd!.start).not.toHaveProperty('timeZone');
    expect((odd!.start as { timeZoneDefinition: string }).timeZoneDefinition).toContain('TZOFFSETTO:+0517');
    expect(odd!.duration).toBe('PT45M');
  });
  test('expansion uses the zones, including the kept definition', () => {
    const occ = expandOccurrences(records, { from: '2024-06-01T00:00:00Z', to: '2024-08-01T00:00:00Z' }, 'UTC');
    expect(occ.map((o) => [iso(o.start), iso(o.end)])).toEqual([
      ['2024-06-10T01:00:00.000Z', '2024-06-10T02:00:00.000Z'],
      ['2024-07-10T03:43:00.000Z', '2024-07-10T04:28:00.000Z'],
      ['2024-07-10T16:00:00.000Z', '2024-07-10T16:30:00.000Z'],
    ]);
  });
  test('round trip writes the kept VTIMEZONE back', () => {
    const text = toICalendar(records);
    expect(text).toContain('BEGIN:VTIMEZONE\r\nTZID:Mars Base Time\r\n');
    expect(text).toContain('DTSTART;TZID=America/Los_Angeles:20240710T090000\r\n');
    expect(parseCalendar(text)).toEqual({ records, errors: [] });
  });
});

describe('UTC and floating times', () => {
  const { records, errors } = fixture('utc-and-floating.ics');
  test('UTC keeps "UTC"; floating has no zone; no UID gives a stable hash id', () => {
    expect(errors).toEqual([]);
    const [call, jog] = records;
    expect(call!.start).toEqual({ dateTime: '2024-01-05T23:00:00', timeZone: 'UTC' });
    expect(call!.end).toEqual({ dateTime: '2024-01-06T00:30:00', timeZone: 'UTC' });
    expect(jog!.start).toEqual({ dateTime: '2024-01-06T09:00:00' });
    expect(jog!.end).toBeUndefined();
    expect(jog!.duration).toBe('PT1H30M');
    expect(jog!.summary).toBe('朝のジョギング');
    expect(jog!.uid).toMatch(/^kura-[0-9a-f]{16}$/);
    expect(fixture('utc-and-floating.ics').records[1]!.uid).toBe(jog!.uid);
  });
  test('floating times are read in the viewer zone', () => {
    const range = { from: '2024-01-01T00:00:00Z', to: '2024-01-31T00:00:00Z' };
    const tokyo = expandOccurrences(records, range, 'Asia/Tokyo');
    const ny = expandOccurrences(records, range, 'America/New_York');
    expect(tokyo.map((o) => [iso(o.start), iso(o.end)])).toEqual([
      ['2024-01-05T23:00:00.000Z', '2024-01-06T00:30:00.000Z'],
      ['2024-01-06T00:00:00.000Z', '2024-01-06T01:30:00.000Z'],
    ]);
    expect(iso(ny[1]!.start)).toBe('2024-01-06T14:00:00.000Z');
  });
  test('round trip', () => expect(parseCalendar(toICalendar(records))).toEqual({ records, errors: [] }));
});

describe('attendees and organizer', () => {
  const { records, errors } = fixture('attendees.ics');
  test('email, name, role, partstat', () => {
    expect(errors).toEqual([]);
    const e = records[0]!;
    expect(e.summary).toBe('Design review; phase 2');
    expect(e.organizer).toEqual({ email: 'hanako@example.com', name: 'Hanako Sato' });
    expect(e.attendees).toEqual([
      { email: 'hanako@example.com', name: 'Hanako Sato', role: 'REQ-PARTICIPANT', partstat: 'ACCEPTED' },
      { email: 'ichiro@example.jp', name: 'Suzuki, Ichiro', role: 'OPT-PARTICIPANT', partstat: 'NEEDS-ACTION' },
      { email: 'bob@example.org', role: 'REQ-PARTICIPANT', partstat: 'DECLINED' },
    ]);
  });
  test('round trip', () => expect(parseCalendar(toICalendar(records))).toEqual({ records, errors: [] }));
});

describe('damage', () => {
  test('a VEVENT without DTSTART and one with an unreadable date cost only themselves', () => {
    const { records, errors } = fixture('one-broken-event.ics');
    expect(records.map((r) => r.uid)).toEqual(['good-1@google.com', 'good-2@google.com']);
    expect(errors).toEqual([
      { code: 'missing-field', line: 10, item: 1, message: expect.any(String) },
      { code: 'bad-date', line: 16, item: 2, message: expect.any(String) },
    ]);
  });
  test('a file cut inside a VEVENT keeps the complete one and says where', () => {
    const { records, errors } = fixture('truncated.ics');
    expect(records.map((r) => [r.uid, r.summary])).toEqual([['t-1@example.com', 'Complete']]);
    expect(errors).toEqual([{ code: 'truncated', line: 9, item: 1, message: expect.any(String) }]);
  });
  test('not iCalendar', () => {
    expect(parseCalendar('BEGIN:VCARD\r\nFN:x\r\nEND:VCARD\r\n').errors[0]!.code).toBe('unknown-format');
    expect(parseCalendar(new Uint8Array([0xff, 0x00, 0x12])).errors[0]!.code).toBe('unknown-format');
    expect(parseCalendar('').records).toEqual([]);
  });
});

describe('writer', () => {
  test('CRLF, PRODID, folding at 75 octets without splitting characters, escaping', () => {
    const text = toICalendar([{ uid: 'w-1', start: { date: '2024-01-01' }, summary: 'あ'.repeat(60) + ';,\\\n改行' }]);
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kura//EN\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    for (const line of text.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(text).toContain('\\;\\,\\\\\\n');
    expect(parseCalendar(text).records[0]!.summary).toBe('あ'.repeat(60) + ';,\\\n改行');
  });
});

describe('expansion details', () => {
  const weekly = { uid: 'u-1', start: { dateTime: '2024-04-01T10:00:00', timeZone: 'Asia/Tokyo' }, end: { dateTime: '2024-04-01T10:30:00', timeZone: 'Asia/Tokyo' } };
  const range = { from: '2024-03-01T00:00:00Z', to: '2024-06-01T00:00:00Z' };
  test('a UTC UNTIL is compared as an instant (Google writes UNTIL in UTC): the 15th 10:00 JST is 01:00Z, kept', () => {
    const occ = expandOccurrences([{ ...weekly, rrule: 'FREQ=WEEKLY;UNTIL=20240415T010000Z' }], range, 'UTC');
    expect(occ.map((o) => iso(o.start))).toEqual(['2024-04-01T01:00:00.000Z', '2024-04-08T01:00:00.000Z', '2024-04-15T01:00:00.000Z']);
  });
  test('RDATEs add, COUNT limits, an override of an EXDATEd instance stays out', () => {
    const occ = expandOccurrences([
      { ...weekly, rrule: 'FREQ=WEEKLY;COUNT=2', rdates: [{ dateTime: '2024-05-01T09:00:00', timeZone: 'UTC' }], exdates: [{ dateTime: '2024-04-08T10:00:00', timeZone: 'Asia/Tokyo' }] },
      { uid: 'u-1', recurrenceId: '2024-04-08T01:00:00Z', start: { dateTime: '2024-04-09T10:00:00', timeZone: 'Asia/Tokyo' } },
    ], range, 'UTC');
    expect(occ.map((o) => [iso(o.start), iso(o.end)])).toEqual([
      ['2024-04-01T01:00:00.000Z', '2024-04-01T01:30:00.000Z'],
      ['2024-05-01T09:00:00.000Z', '2024-05-01T09:30:00.000Z'],
    ]);
  });
  test('an override without its master in the file still shows', () => {
    const occ = expandOccurrences([{ uid: 'lonely', recurrenceId: '2024-04-08T01:00:00Z', start: { dateTime: '2024-04-09T00:00:00', timeZone: 'UTC' }, duration: 'PT2H' }], range, 'UTC');
    expect(occ.map((o) => [iso(o.start), iso(o.end)])).toEqual([['2024-04-09T00:00:00.000Z', '2024-04-09T02:00:00.000Z']]);
  });
});

test('a file cut inside a VTIMEZONE says so', () => {
  const text = readFileSync(join(DIR, 'apple-alarms.ics'), 'utf8');
  const { records, errors } = parseCalendar(text.slice(0, text.indexOf('END:DAYLIGHT')));
  expect(records).toEqual([]);
  expect(errors).toEqual([{ code: 'truncated', line: 9, message: expect.any(String) }]);
});
