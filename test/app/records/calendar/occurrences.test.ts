import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseCalendar, type CalendarEvent } from '../../../../src/core/records/index.ts';
import { agendaDays, occurrencesByDay, seriesKeys } from '../../../../src/app/screens/records/calendar/occurrences.ts';

const fixture = (name: string) => parseCalendar(readFileSync(join(__dirname, '../../../fixtures/records/calendar', name))).records;

const summaries = (byDay: Map<string, { occurrence: { event: CalendarEvent } }[]>) =>
  Object.fromEntries([...byDay].map(([day, items]) => [day, items.map((i) => i.occurrence.event.summary)]));

describe('occurrences per day', () => {
  test('a weekly series in Tokyo: Mondays minus the EXDATEs, the moved instance on its new day', () => {
    const byDay = occurrencesByDay(fixture('google-weekly-exdate.ics'), '2024-03-31', '2024-05-05', 'Asia/Tokyo');
    expect(summaries(byDay)).toEqual({
      '2024-04-01': ['週次ミーティング'],
      '2024-04-08': ['週次ミーティング'],
      '2024-04-23': ['週次ミーティング（振替）'],
    });
    expect(byDay.get('2024-04-23')![0]!.key).toMatch(/^7kukuqrfedlm2f9t6vmpbsl2bc@google\.com#2024-04-22/);
    expect(byDay.get('2024-04-01')![0]!.key).toBe('7kukuqrfedlm2f9t6vmpbsl2bc@google.com');
  });

  test('the same series seen from New York: Sunday evenings, and the DST change moves nothing in Tokyo time', () => {
    const byDay = occurrencesByDay(fixture('google-weekly-exdate.ics'), '2024-03-01', '2024-04-15', 'America/New_York');
    expect([...byDay.keys()]).toEqual(['2024-03-31', '2024-04-07']);
    expect(new Date(byDay.get('2024-03-31')![0]!.occurrence.start).toISOString()).toBe('2024-04-01T01:00:00.000Z');
  });

  test('a daily 09:00 in New York keeps its wall clock across the March change, on each day there', () => {
    const events: CalendarEvent[] = [
      { uid: 'standup', summary: 'Standup', start: { dateTime: '2024-03-08T09:00:00', timeZone: 'America/New_York' }, end: { dateTime: '2024-03-08T09:15:00', timeZone: 'America/New_York' }, rrule: 'FREQ=DAILY;COUNT=4' },
    ];
    const byDay = occurrencesByDay(events, '2024-03-01', '2024-04-01', 'America/New_York');
    expect([...byDay.keys()]).toEqual(['2024-03-08', '2024-03-09', '2024-03-10', '2024-03-11']);
    expect([...byDay.values()].map(([o]) => new Date(o!.occurrence.start).toISOString())).toEqual([
      '2024-03-08T14:00:00.000Z',
      '2024-03-09T14:00:00.000Z',
      '2024-03-10T13:00:00.000Z',
      '2024-03-11T13:00:00.000Z',
    ]);
    // Seen from Tokyo the same instants fall at 23:00 and then 22:00, still one a day.
    expect([...occurrencesByDay(events, '2024-03-01', '2024-04-01', 'Asia/Tokyo').keys()]).toEqual(['2024-03-08', '2024-03-09', '2024-03-10', '2024-03-11']);
  });

  test('a multi-day all-day event is on each day it covers (end exclusive); all-day first in a day', () => {
    const events: CalendarEvent[] = [
      { uid: 'trip', summary: 'Trip', start: { date: '2024-04-27' }, end: { date: '2024-04-30' } },
      { uid: 'lunch', summary: 'Lunch', start: { dateTime: '2024-04-28T12:00:00', timeZone: 'Asia/Tokyo' }, end: { dateTime: '2024-04-28T13:00:00', timeZone: 'Asia/Tokyo' } },
      { uid: 'late', summary: 'Night bus', start: { dateTime: '2024-04-30T23:00:00', timeZone: 'Asia/Tokyo' }, end: { dateTime: '2024-05-01T06:00:00', timeZone: 'Asia/Tokyo' } },
    ];
    const byDay = occurrencesByDay(events, '2024-04-01', '2024-05-05', 'Asia/Tokyo');
    expect(summaries(byDay)).toEqual({
      '2024-04-27': ['Trip'],
      '2024-04-28': ['Trip', 'Lunch'],
      '2024-04-29': ['Trip'],
      '2024-04-30': ['Night bus'],
      '2024-05-01': ['Night bus'],
    });
    expect(byDay.get('2024-04-28')![0]!.continued).toBe(true);
    expect(byDay.get('2024-05-01')![0]!.continued).toBe(true);
    expect(agendaDays(byDay).map((d) => d.day)).toEqual(['2024-04-27', '2024-04-28', '2024-04-29', '2024-04-30', '2024-05-01']);
  });

  test('an event before the range that runs into it starts the range; one at the end is left out', () => {
    const events: CalendarEvent[] = [{ uid: 'trip', summary: 'Trip', start: { date: '2024-03-30' }, end: { date: '2024-04-02' } }];
    expect([...occurrencesByDay(events, '2024-04-01', '2024-04-30', 'UTC').keys()]).toEqual(['2024-04-01']);
    expect([...occurrencesByDay(events, '2024-03-01', '2024-03-31', 'UTC').keys()]).toEqual(['2024-03-30']);
  });

  test('a series is its master and its overridden instances; a single event is itself', () => {
    const events = fixture('google-weekly-exdate.ics');
    expect(seriesKeys(events, events[0]!)).toHaveLength(2);
    expect(seriesKeys(events, events[1]!)).toEqual([seriesKeys(events, events[0]!)[1]]);
  });
});

test('a whole account at once: each of thousands of events lands on its day', () => {
  const events: CalendarEvent[] = Array.from({ length: 4000 }, (_, i) => ({
    uid: `e${i}`,
    summary: `Event ${i}`,
    start: { dateTime: `2024-04-${String((i % 28) + 1).padStart(2, '0')}T10:00:00`, timeZone: 'Asia/Tokyo' },
    end: { dateTime: `2024-04-${String((i % 28) + 1).padStart(2, '0')}T11:00:00`, timeZone: 'Asia/Tokyo' },
  }));
  const byDay = occurrencesByDay(events, '2024-03-31', '2024-05-05', 'Asia/Tokyo');
  expect([...byDay.values()].reduce((n, list) => n + list.length, 0)).toBe(4000);
  expect(byDay.get('2024-04-28')).toHaveLength(142);
});
