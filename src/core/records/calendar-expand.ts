/**
 * Occurrences of calendar events in a range (issue 6), for the calendar views in the user's zone.
 * ical.js expands the RRULE on wall-clock times; EXDATEs are removed, RDATEs added, and an event
 * with a RECURRENCE-ID replaces the occurrence it overrides. Wall-clock times become instants in
 * the event's zone (Intl for IANA ids, ical.js for a kept VTIMEZONE); floating times and all-day
 * dates are read in `timeZone`, the user's.
 */
import ICAL from 'ical.js';
import type { CalendarEvent, CalendarTime } from './calendar.ts';
import { definedWallToInstant, ianaOffset, ianaWallToInstant, icalZone, isIanaZone, wallMs } from './calendar-zones.ts';

export interface Occurrence {
  /** Instants, ms since the epoch; `end` is exclusive. */
  readonly start: number;
  readonly end: number;
  readonly allDay: boolean;
  /** The event this occurrence comes from (the override for an overridden instance). */
  readonly event: CalendarEvent;
}

const MAX_OCCURRENCES = 20000;
const zoneCache = new Map<string, ICAL.Timezone | null>();

function instantOf(t: CalendarTime, userZone: string): number {
  if ('date' in t) return ianaWallToInstant(`${t.date}T00:00:00`, userZone);
  if (t.timeZone === 'UTC') return wallMs(t.dateTime);
  if (t.timeZone && isIanaZone(t.timeZone)) return ianaWallToInstant(t.dateTime, t.timeZone);
  if (t.timeZoneDefinition) {
    // Not registered in ICAL.TimezoneService: that registry is global and keyed by TZID, and Outlook
    // names different rules "Customized Time Zone" in different files. The zone is built from the
    // event's own definition instead (cached by its text).
    let zone = zoneCache.get(t.timeZoneDefinition);
    if (zone === undefined) zoneCache.set(t.timeZoneDefinition, (zone = icalZone(t.timeZoneDefinition)));
    if (zone) return definedWallToInstant(t.dateTime, zone);
  }
  return ianaWallToInstant(t.dateTime, userZone);
}

/** A recurrenceId as an instant, by the same rules (its bracketed zone, or the master's zone). */
function recurrenceInstant(id: string, master: CalendarTime, userZone: string): number {
  const m = /^([^[Z]+)(Z)?(?:\[(.+)\])?$/.exec(id);
  if (!m) return NaN;
  const value = m[1]!;
  if (!value.includes('T')) return instantOf({ date: value }, userZone);
  if (m[2]) return wallMs(value);
  const zone = m[3];
  if (zone && 'dateTime' in master && (master.timeZone === zone || master.tzid === zone)) return instantOf({ ...master, dateTime: value }, userZone);
  if (zone && isIanaZone(zone)) return ianaWallToInstant(value, zone);
  return instantOf({ dateTime: value }, userZone);
}

function durationMs(e: CalendarEvent, userZone: string): number {
  // An end before the start (a date-only end on a timed start, or a plain mistake in the export)
  // is read as no duration rather than an occurrence that ends before it begins.
  if (e.end) return Math.max(0, instantOf(e.end, userZone) - instantOf(e.start, userZone));
  if (e.duration !== undefined) {
    try {
      return ICAL.Duration.fromString(e.duration).toSeconds() * 1000;
    } catch {
      return 0;
    }
  }
  return 'date' in e.start ? 86_400_000 : 0;
}

/**
 * The rule with a UTC UNTIL turned into the wall clock of the event's IANA zone: the expansion
 * runs on wall-clock times, and a UTC UNTIL compared with them would be off by the zone's offset.
 */
function untilAsWall(rrule: string, start: CalendarTime): string {
  if ('date' in start || !start.timeZone || start.timeZone === 'UTC' || !isIanaZone(start.timeZone)) return rrule;
  const zone = start.timeZone;
  return rrule.replace(/UNTIL=(\d{8}T\d{6})Z/i, (_all, v: string) => {
    const instant = wallMs(`${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}T${v.slice(9, 11)}:${v.slice(11, 13)}:${v.slice(13, 15)}`);
    return `UNTIL=${new Date(instant + ianaOffset(zone, instant)).toISOString().replace(/[-:]|\.\d+Z$/g, '')}`;
  });
}

/** The wall-clock starts of a recurring event (DTSTART first), in the master's own notation. */
function* wallStarts(e: CalendarEvent, untilWall: number): Generator<CalendarTime> {
  const allDay = 'date' in e.start;
  const value = 'date' in e.start ? e.start.date : e.start.dateTime;
  const dtstart = allDay ? ICAL.Time.fromDateString(value) : ICAL.Time.fromDateTimeString(value);
  const recur = ICAL.Recur.fromString(untilAsWall(e.rrule!, e.start));
  const iter = recur.iterator(dtstart);
  for (let n = 0; n < MAX_OCCURRENCES; n++) {
    const next = iter.next();
    if (!next) return;
    const s = next.toString();
    if (wallMs(s) > untilWall) return;
    yield allDay ? { date: s.slice(0, 10) } : { ...e.start, dateTime: s.slice(0, 19) };
  }
}

export function expandOccurrences(
  events: readonly CalendarEvent[],
  range: { from: string; to: string },
  timeZone: string,
): Occurrence[] {
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);
  const out: Occurrence[] = [];
  const overrides = new Map<string, CalendarEvent[]>();
  for (const e of events) {
    if (e.recurrenceId === undefined) continue;
    overrides.set(e.uid, [...(overrides.get(e.uid) ?? []), e]);
  }
  const push = (e: CalendarEvent, start: number, duration: number) => {
    const end = start + duration;
    if (Number.isFinite(start) && start < to && (end > from || (duration === 0 && start >= from))) {
      out.push({ start, end, allDay: 'date' in e.start, event: e });
    }
  };
  for (const e of events) {
    try {
      const hasMaster = events.some((m) => m.uid === e.uid && m.recurrenceId === undefined && (m.rrule !== undefined || m.rdates?.length));
      if (e.recurrenceId !== undefined) {
        if (hasMaster) continue; // placed by its master below
        push(e, instantOf(e.start, timeZone), durationMs(e, timeZone));
        continue;
      }
      const duration = durationMs(e, timeZone);
      if (e.rrule === undefined && !e.rdates?.length) {
        push(e, instantOf(e.start, timeZone), duration);
        continue;
      }
      // Wall-clock bound: a day past `to` covers any zone offset.
      const untilWall = to + 2 * 86_400_000;
      const starts = new Map<number, CalendarTime>();
      if (e.rrule !== undefined) for (const s of wallStarts(e, untilWall)) starts.set(instantOf(s, timeZone), s);
      else starts.set(instantOf(e.start, timeZone), e.start);
      for (const r of e.rdates ?? []) starts.set(instantOf(r, timeZone), r);
      const excluded = new Set((e.exdates ?? []).map((x) => instantOf(x, timeZone)));
      for (const x of excluded) starts.delete(x);
      const own = overrides.get(e.uid) ?? [];
      const replaced = new Map(own.map((o) => [recurrenceInstant(o.recurrenceId!, e.start, timeZone), o]));
      for (const instant of starts.keys()) {
        const o = replaced.get(instant);
        if (o) push(o, instantOf(o.start, timeZone), durationMs(o, timeZone));
        else push(e, instant, duration);
      }
      // An override of an instance the rule does not produce (moved in, or rule changed) still shows.
      for (const [instant, o] of replaced) if (!starts.has(instant) && !excluded.has(instant)) push(o, instantOf(o.start, timeZone), durationMs(o, timeZone));
    } catch {
      // An event ical.js cannot expand (a bad RRULE) shows its first occurrence only.
      push(e, instantOf(e.start, timeZone), durationMs(e, timeZone));
    }
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}
