/** Times of occurrences in the user's zone, with Intl (the zone is an argument, never the process's). */
import type { Occurrence } from '../../../../core/records/calendar-expand.ts';
import { addDays, dayNoon, dayOf, type Day } from './month-grid.ts';

export function formatTime(instant: number, language: string, zone: string): string {
  return new Intl.DateTimeFormat(language, { timeStyle: 'short', timeZone: zone }).format(instant);
}

/** A day as "Monday, 1 April 2024" (`full`) or "1 Apr 2024". */
export function formatDay(day: Day, language: string, style: 'full' | 'long' | 'medium' = 'full'): string {
  return new Intl.DateTimeFormat(language, { dateStyle: style, timeZone: 'UTC' }).format(dayNoon(day));
}

export function formatMonth(day: Day, language: string): string {
  return new Intl.DateTimeFormat(language, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(dayNoon(day));
}

/** "10:00 – 11:00" on one day; with dates when it crosses midnight; undefined for all-day ones. */
export function formatTimeRange(o: Pick<Occurrence, 'start' | 'end' | 'allDay'>, language: string, zone: string, withDate = false): string | undefined {
  if (o.allDay) return undefined;
  const sameDay = dayOf(o.start, zone) === dayOf(Math.max(o.start, o.end - 1), zone);
  const options: Intl.DateTimeFormatOptions = sameDay && !withDate ? { timeStyle: 'short', timeZone: zone } : { dateStyle: 'medium', timeStyle: 'short', timeZone: zone };
  const f = new Intl.DateTimeFormat(language, options);
  return o.end > o.start ? f.formatRange(o.start, o.end) : f.format(o.start);
}

/** All-day dates: "27 – 29 Apr 2024" (the end date is exclusive, so the last day shown is the one before). */
export function formatDayRange(start: Day, endExclusive: Day | undefined, language: string): string {
  const last = endExclusive && endExclusive > start ? addDays(endExclusive, -1) : start;
  const f = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' });
  return last === start ? f.format(dayNoon(start)) : f.formatRange(dayNoon(start), dayNoon(last));
}

/** A zone's generic name ("Eastern Time", "米国東部時間"), the id when Intl has none. */
export function zoneName(zone: string, language: string, at: number): string {
  try {
    const part = new Intl.DateTimeFormat(language, { timeZone: zone, timeZoneName: 'longGeneric' }).formatToParts(at).find((p) => p.type === 'timeZoneName');
    return part?.value ?? zone;
  } catch {
    return zone;
  }
}
