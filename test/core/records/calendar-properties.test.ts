import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseCalendar, type CalendarEvent, type CalendarTime } from '../../../src/core/records/calendar.ts';
import { expandOccurrences } from '../../../src/core/records/calendar-expand.ts';
import { toICalendar } from '../../../src/core/records/calendar-write.ts';

const CHARS = ['a', 'Z', '0', ' ', 'あ', '日', '本', '語', '、', '。', ',', ';', ':', '\\', '\n', '"', '😀', '-', '/'];
const text = fc.array(fc.constantFrom(...CHARS), { maxLength: 40 }).map((a) => a.join(''));
const nonEmpty = fc.array(fc.constantFrom(...CHARS.filter((c) => c !== '\n')), { minLength: 1, maxLength: 20 }).map((a) => a.join(''));
const name = fc.array(fc.constantFrom('a', 'B', ' ', 'あ', '山', ',', ';', ':', '.'), { minLength: 1, maxLength: 12 }).map((a) => a.join(''));
const email = fc.tuple(fc.stringMatching(/^[a-z0-9]{1,8}$/), fc.constantFrom('example.com', 'example.co.jp')).map(([u, d]) => `${u}@${d}`);
const pad = (n: number) => String(n).padStart(2, '0');
const date = fc.tuple(fc.integer({ min: 2000, max: 2030 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
  .map(([y, m, d]) => `${y}-${pad(m)}-${pad(d)}`);
const dateTime = fc.tuple(date, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }))
  .map(([d, h, mi, s]) => `${d}T${pad(h)}:${pad(mi)}:${pad(s)}`);
const time: fc.Arbitrary<CalendarTime> = fc.oneof(
  date.map((d) => ({ date: d })),
  fc.tuple(dateTime, fc.constantFrom('UTC', 'Asia/Tokyo', 'America/New_York', undefined)).map(([dt, tz]) =>
    tz === undefined ? { dateTime: dt } : { dateTime: dt, timeZone: tz }),
);
const utc = dateTime.map((d) => `${d}Z`);

const event: fc.Arbitrary<CalendarEvent> = fc.record(
  {
    uid: nonEmpty,
    recurrenceId: fc.constantFrom('2024-01-01T10:00:00Z', '2024-01-01T10:00:00[Asia/Tokyo]', '2024-01-01', '2024-01-01T10:00:00'),
    summary: text,
    description: text,
    location: text,
    url: fc.stringMatching(/^[a-z0-9]{1,10}$/).map((p) => `https://example.com/${p}`),
    status: fc.constantFrom('CONFIRMED', 'TENTATIVE', 'CANCELLED'),
    start: time,
    end: time,
    duration: fc.constantFrom('PT1H', 'P1D', 'PT15M'),
    rrule: fc.constantFrom('FREQ=WEEKLY;BYDAY=MO', 'FREQ=DAILY;COUNT=5', 'FREQ=MONTHLY;INTERVAL=2'),
    exdates: fc.array(time, { minLength: 1, maxLength: 3 }),
    rdates: fc.array(time, { minLength: 1, maxLength: 3 }),
    alarms: fc.array(
      fc.record(
        {
          action: fc.constantFrom('DISPLAY', 'AUDIO', 'EMAIL'),
          trigger: fc.oneof(
            fc.record({ relative: fc.constantFrom('-PT15M', '-P1D', 'PT0S') }),
            fc.record({ relative: fc.constantFrom('-PT5M', 'PT10M'), related: fc.constant('END' as const) }),
            utc.map((a) => ({ absolute: a })),
          ),
          description: text,
        },
        { requiredKeys: ['action', 'trigger'] },
      ),
      { minLength: 1, maxLength: 2 },
    ),
    attendees: fc.array(
      fc.record(
        { email, name, role: fc.constantFrom('REQ-PARTICIPANT', 'OPT-PARTICIPANT', 'CHAIR'), partstat: fc.constantFrom('ACCEPTED', 'DECLINED', 'NEEDS-ACTION') },
        { requiredKeys: ['email'] },
      ),
      { minLength: 1, maxLength: 3 },
    ),
    organizer: fc.record({ email, name }, { requiredKeys: ['email'] }),
    categories: fc.array(nonEmpty, { minLength: 1, maxLength: 3 }),
    transparency: fc.constantFrom('OPAQUE', 'TRANSPARENT'),
    created: utc,
    lastModified: utc,
    sequence: fc.nat({ max: 1000 }),
  },
  { requiredKeys: ['uid', 'start'] },
);

describe('calendar properties', () => {
  test('random events survive toICalendar → parseCalendar', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 4 }), (events) => {
        expect(parseCalendar(toICalendar(events))).toEqual({ records: events, errors: [] });
      }),
      { numRuns: 300 },
    );
  });

  test('random bytes and strings never throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 300 })), (input) => {
        parseCalendar(input);
        parseCalendar(`BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n${typeof input === 'string' ? input : ''}`);
      }),
      { numRuns: 500 },
    );
  });

  /** The events whose END:VEVENT line ends at or before `at` in the written text. */
  const completeBefore = (written: string, events: readonly CalendarEvent[], at: number) => {
    const ends: number[] = [];
    for (let i = written.indexOf('END:VEVENT\r\n'); i >= 0; i = written.indexOf('END:VEVENT\r\n', i + 1)) ends.push(i + 12);
    return events.filter((_, k) => ends[k]! <= at);
  };

  test('a truncated file never throws and keeps every complete event before the cut', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 4 }), fc.double({ min: 0, max: 1, noNaN: true }), (events, f) => {
        const written = toICalendar(events);
        const cut = Math.floor(written.length * f);
        const bytes = new TextEncoder().encode(written.slice(0, cut));
        const { records } = parseCalendar(bytes);
        const kept = completeBefore(written, events, cut);
        expect(records.slice(0, kept.length)).toEqual(kept);
      }),
      { numRuns: 200 },
    );
  });

  test('garbage inside the file keeps every complete event before it', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 4 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.string({ maxLength: 80 }), (events, f, junk) => {
        const written = toICalendar(events);
        const at = Math.floor(written.length * f);
        const { records } = parseCalendar(written.slice(0, at) + 'X' + junk + written.slice(at));
        const kept = completeBefore(written, events, at);
        expect(records.slice(0, kept.length)).toEqual(kept);
      }),
      { numRuns: 200 },
    );
  });

  test('an end before the start gives an occurrence without duration, not a negative one', () => {
    const odd = { uid: 'a', start: { dateTime: '2004-01-01T00:00:00', timeZone: 'UTC' }, end: { date: '2004-01-01' }, rrule: 'FREQ=WEEKLY;BYDAY=MO' } as const;
    const found = expandOccurrences([odd], { from: '2023-12-01T00:00:00Z', to: '2024-01-01T00:00:00Z' }, 'Asia/Tokyo');
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((o) => o.end === o.start)).toBe(true);
  });

  test('expansion never throws on random events', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 4 }), (events) => {
        for (const o of expandOccurrences(events, { from: '2023-12-01T00:00:00Z', to: '2024-03-01T00:00:00Z' }, 'Asia/Tokyo')) {
          expect(Number.isFinite(o.start) && o.end >= o.start).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});
