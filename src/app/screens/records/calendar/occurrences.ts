/**
 * Occurrences of the account's events, per day in the user's zone, for the month grid and the
 * agenda. expandOccurrences is given every event at once (a series' master with its overridden
 * instances), so EXDATEs and moved instances come out right; an occurrence that spans days (a
 * trip, a night flight) is listed on each day it covers.
 */
import type { CalendarEvent } from '../../../../core/records/calendar.ts';
import { expandOccurrences, type Occurrence } from '../../../../core/records/calendar-expand.ts';
import { recordKey } from '../../../../core/records/kinds.ts';
import { addDays, dayOf, startOfDay, type Day } from './month-grid.ts';

export interface DayOccurrence {
  readonly occurrence: Occurrence;
  /** The event's record key (for selecting and opening it). */
  readonly key: string;
  /** True when this day is not the occurrence's first (a continuation). */
  readonly continued: boolean;
}

export interface AgendaDay {
  readonly day: Day;
  readonly items: readonly DayOccurrence[];
}

function order(a: DayOccurrence, b: DayOccurrence): number {
  const x = a.occurrence, y = b.occurrence;
  if (x.allDay !== y.allDay) return x.allDay ? -1 : 1;
  return x.start - y.start || x.end - y.end || (x.event.summary ?? '').localeCompare(y.event.summary ?? '');
}

/**
 * expandOccurrences one series (one UID) at a time: it matches overrides to masters by scanning
 * the events it is given, which over a whole account (thousands of events) costs the square.
 */
function expandBySeries(events: readonly CalendarEvent[], range: { from: string; to: string }, zone: string): Occurrence[] {
  const series = new Map<string, CalendarEvent[]>();
  for (const e of events) {
    const list = series.get(e.uid);
    if (list) list.push(e);
    else series.set(e.uid, [e]);
  }
  return [...series.values()].flatMap((group) => expandOccurrences(group, range, zone));
}

/** Days from `from` up to (not including) `to` that have occurrences, each with them in order: all-day first, then by time. */
export function occurrencesByDay(events: readonly CalendarEvent[], from: Day, to: Day, zone: string): Map<Day, DayOccurrence[]> {
  const range = { from: new Date(startOfDay(from, zone)).toISOString(), to: new Date(startOfDay(to, zone)).toISOString() };
  const byDay = new Map<Day, DayOccurrence[]>();
  for (const occurrence of expandBySeries(events, range, zone)) {
    const first = dayOf(occurrence.start, zone);
    const last = dayOf(Math.max(occurrence.start, occurrence.end - 1), zone);
    const key = recordKey('calendar', occurrence.event);
    for (let day = first < from ? from : first; day <= last && day < to; day = addDays(day, 1)) {
      const list = byDay.get(day) ?? [];
      list.push({ occurrence, key, continued: day !== first });
      byDay.set(day, list);
    }
  }
  for (const list of byDay.values()) list.sort(order);
  return byDay;
}

/** The days of a range that have occurrences, in date order. */
export function agendaDays(byDay: ReadonlyMap<Day, readonly DayOccurrence[]>): AgendaDay[] {
  return [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([day, items]) => ({ day, items }));
}

/** The keys of a series: the master and each overridden instance (same UID). */
export function seriesKeys(events: readonly CalendarEvent[], event: CalendarEvent): string[] {
  if (event.recurrenceId !== undefined || (event.rrule === undefined && !event.rdates?.length)) return [recordKey('calendar', event)];
  return events.filter((e) => e.uid === event.uid).map((e) => recordKey('calendar', e));
}
