/**
 * Calendar days in a time zone. A day is its date, 'YYYY-MM-DD' (a `Day`): the same string in
 * every zone, so grids and groups are built on dates and only turned into instants (the first
 * millisecond of that day in the user's zone) to ask for occurrences. Date arithmetic runs on UTC
 * dates, which have no daylight-saving changes; instants are read in the zone with Intl.
 */
import { ianaWallToInstant } from '../../../../core/records/calendar-zones.ts';

export type Day = string;

/** The user's zone, as the browser reports it. */
export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** The date an instant falls on in `zone`. */
export function dayOf(instant: number, zone: string): Day {
  let f = dayFormatters.get(zone);
  if (!f) dayFormatters.set(zone, (f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(instant)) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day}`;
}

/** The first instant of a day in `zone` (midnight; a zone that skips midnight starts it later). */
export function startOfDay(day: Day, zone: string): number {
  return ianaWallToInstant(`${day}T00:00:00`, zone);
}

function utc(day: Day): Date {
  return new Date(`${day}T00:00:00Z`);
}

export function addDays(day: Day, n: number): Day {
  const d = utc(day);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** 0 Sunday … 6 Saturday. */
export function weekday(day: Day): number {
  return utc(day).getUTCDay();
}

/** A date at noon UTC, for formatting a day's name or date with Intl in any zone-free way. */
export function dayNoon(day: Day): number {
  return Date.parse(`${day}T12:00:00Z`);
}

export interface Month {
  readonly year: number;
  /** 1–12. */
  readonly month: number;
}

export function monthOfDay(day: Day): Month {
  return { year: Number(day.slice(0, 4)), month: Number(day.slice(5, 7)) };
}

export function addMonths(m: Month, n: number): Month {
  const index = m.year * 12 + (m.month - 1) + n;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

export function firstOfMonth(m: Month): Day {
  return `${String(m.year).padStart(4, '0')}-${String(m.month).padStart(2, '0')}-01`;
}

/** The first day of the week for a language: Sunday for Japanese and US English. */
export function firstDayOfWeek(_language: string): number {
  return 0;
}

/** The seven weekdays in grid order (0 Sunday … 6 Saturday). */
export function weekdayOrder(firstDay: number): number[] {
  return Array.from({ length: 7 }, (_, i) => (firstDay + i) % 7);
}

export interface MonthGrid {
  /** Rows of seven days, from the week holding the 1st to the week holding the last day. */
  readonly weeks: readonly (readonly Day[])[];
  /** First day shown and the day after the last one shown. */
  readonly from: Day;
  readonly to: Day;
}

export function monthGrid(m: Month, firstDay = 0): MonthGrid {
  const first = firstOfMonth(m);
  const last = addDays(firstOfMonth(addMonths(m, 1)), -1);
  const from = addDays(first, -((weekday(first) - firstDay + 7) % 7));
  const weeks: Day[][] = [];
  let day = from;
  while (day <= last) {
    const week: Day[] = [];
    for (let i = 0; i < 7; i++, day = addDays(day, 1)) week.push(day);
    weeks.push(week);
  }
  return { weeks, from, to: day };
}

/** A month's grid as instants in `zone`, for expandOccurrences. */
export function gridRange(grid: MonthGrid, zone: string): { from: string; to: string } {
  return { from: new Date(startOfDay(grid.from, zone)).toISOString(), to: new Date(startOfDay(grid.to, zone)).toISOString() };
}
