/**
 * iCalendar events (issue 6) from Google Calendar, Apple Calendar and Outlook exports.
 *
 * The file is split into VEVENT blocks here, before ical.js sees it, so one broken block (no
 * END, a bad date, something ical.js throws on) costs that event only. Each block is parsed by
 * ical.js wrapped with the calendar's VTIMEZONEs. Zones: IANA ids are kept, Windows names
 * ("Tokyo Standard Time") are mapped by a table, a custom VTIMEZONE is matched to the IANA zone
 * with the same offsets; when none matches, its text is kept as `timeZoneDefinition`.
 *
 * An event without UID gets `kura-<FNV-1a 64-bit hex>` over the canonical JSON of its summary,
 * start, end and rrule: the same event in a later export gets the same uid.
 */
import ICAL from 'ical.js';
import type { ParseResult, RecordError } from './result.ts';
import { decodeExport } from './text.ts';
import { WINDOWS_ZONES, icalZone, isIanaZone, matchIana } from './calendar-zones.ts';
import { fnv1a64 } from './hash.ts';

/** An all-day date; as DTEND it is exclusive (a one-day event on the 1st ends on the 2nd). */
export interface CalendarDate { readonly date: string }
/** A date-time: in an IANA zone or 'UTC', floating (no zone), or in a kept custom VTIMEZONE. */
export interface CalendarDateTime {
  readonly dateTime: string;
  readonly timeZone?: string;
  /** Only when no IANA zone was found: the original TZID and its VTIMEZONE text. */
  readonly tzid?: string;
  readonly timeZoneDefinition?: string;
}
export type CalendarTime = CalendarDate | CalendarDateTime;

export interface CalendarAlarm {
  readonly action: string;
  /** Relative: an iCalendar duration ('-PT15M'), `related` END when after the end. Absolute: UTC ISO. */
  readonly trigger: { readonly relative: string; readonly related?: 'END' } | { readonly absolute: string };
  readonly description?: string;
}
export interface CalendarAttendee {
  readonly email: string;
  readonly name?: string;
  readonly role?: string;
  readonly partstat?: string;
}
export interface CalendarEvent {
  readonly uid: string;
  /** For an overridden instance: the original start, 'YYYY-MM-DDTHH:MM:SSZ' (UTC), floating without Z, or a date. */
  readonly recurrenceId?: string;
  readonly summary?: string;
  readonly description?: string;
  readonly location?: string;
  readonly url?: string;
  readonly status?: string;
  readonly start: CalendarTime;
  readonly end?: CalendarTime;
  /** An iCalendar duration ('PT1H') when the file gave DURATION instead of DTEND. */
  readonly duration?: string;
  /** The RRULE text ('FREQ=WEEKLY;BYDAY=MO'). */
  readonly rrule?: string;
  readonly exdates?: readonly CalendarTime[];
  readonly rdates?: readonly CalendarTime[];
  readonly alarms?: readonly CalendarAlarm[];
  readonly attendees?: readonly CalendarAttendee[];
  readonly organizer?: { readonly email: string; readonly name?: string };
  readonly categories?: readonly string[];
  readonly transparency?: string;
  /** UTC ISO 'YYYY-MM-DDTHH:MM:SSZ'. */
  readonly created?: string;
  readonly lastModified?: string;
  readonly sequence?: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export { fnv1a64 } from './hash.ts';

interface Line { readonly text: string; readonly line: number }

/** Unfolds content lines (CRLF, LF or CR; a line starting with space or tab continues the previous). */
export function unfold(text: string): Line[] {
  const out: { text: string; line: number }[] = [];
  text.split(/\r\n|\n|\r/).forEach((raw, i) => {
    const last = out[out.length - 1];
    if ((raw.startsWith(' ') || raw.startsWith('\t')) && last) last.text += raw.slice(1);
    else if (raw !== '') out.push({ text: raw, line: i + 1 });
  });
  return out;
}

const isBegin = (l: Line, name: string) => l.text.toUpperCase() === `BEGIN:${name}`;
const isEnd = (l: Line, name: string) => l.text.toUpperCase() === `END:${name}`;
const DATE_VALUE = /^\d{8}(T\d{6}Z?)?$/;

function validDate(v: string): boolean {
  if (!DATE_VALUE.test(v)) return false;
  const mo = +v.slice(4, 6), d = +v.slice(6, 8);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return false;
  if (v.length > 8 && (+v.slice(9, 11) > 23 || +v.slice(11, 13) > 59 || +v.slice(13, 15) > 60)) return false;
  return true;
}

/** The first bad date among a block's date properties, read from the raw lines. */
function badDate(block: readonly Line[]): Line | undefined {
  return block.find((l) => {
    const m = /^(DTSTART|DTEND|RECURRENCE-ID|EXDATE|RDATE)[;:]/i.exec(l.text);
    if (!m) return false;
    const value = l.text.slice(l.text.search(/:(?=[^"]*(?:"[^"]*"[^"]*)*$)/) + 1);
    return value.split(',').some((v) => !validDate(v.split('/')[0]!.trim()));
  });
}

export function parseCalendar(input: string | Uint8Array): ParseResult<CalendarEvent> {
  const records: CalendarEvent[] = [];
  const errors: RecordError[] = [];
  let lines: Line[];
  try {
    lines = unfold(decodeExport(input));
  } catch (e) {
    return { records, errors: [{ code: 'bad-encoding', message: String(e) }] };
  }
  if (!lines.some((l) => isBegin(l, 'VCALENDAR'))) {
    return { records, errors: [{ code: 'unknown-format', line: 1, message: 'no BEGIN:VCALENDAR' }] };
  }
  // VTIMEZONE blocks, by TZID, as text.
  const zones = new Map<string, string>();
  const events: { block: Line[]; line: number; complete: boolean }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (isBegin(l, 'VTIMEZONE')) {
      const end = lines.findIndex((x, j) => j > i && isEnd(x, 'VTIMEZONE'));
      if (end < 0) {
        errors.push({ code: 'truncated', line: l.line, message: `VTIMEZONE at line ${l.line} has no END:VTIMEZONE` });
        break;
      }
      const block = lines.slice(i, end + 1);
      const tzid = block.find((x) => /^TZID[;:]/i.test(x.text))?.text.replace(/^TZID[^:]*:/i, '');
      if (tzid !== undefined) zones.set(tzid, block.map((x) => x.text).join('\r\n'));
      i = end;
    } else if (isBegin(l, 'VEVENT')) {
      let j = i + 1;
      while (j < lines.length && !isEnd(lines[j]!, 'VEVENT') && !isBegin(lines[j]!, 'VEVENT') && !isEnd(lines[j]!, 'VCALENDAR')) j++;
      const complete = j < lines.length && isEnd(lines[j]!, 'VEVENT');
      events.push({ block: lines.slice(i, complete ? j + 1 : j), line: l.line, complete });
      i = complete ? j : j - 1;
    }
  }
  events.forEach(({ block, line, complete }, item) => {
    if (!complete) {
      errors.push({ code: 'truncated', line, item, message: `VEVENT at line ${line} has no END:VEVENT` });
      return;
    }
    const bad = badDate(block);
    if (bad) {
      errors.push({ code: 'bad-date', line: bad.line, item, message: `unreadable date: ${bad.text.slice(0, 80)}` });
      return;
    }
    if (!block.some((l) => /^DTSTART[;:]/i.test(l.text))) {
      errors.push({ code: 'missing-field', line, item, message: `VEVENT at line ${line} has no DTSTART` });
      return;
    }
    try {
      records.push(readEvent(block, zones));
    } catch (e) {
      errors.push({ code: 'malformed', line, item, message: `VEVENT at line ${line}: ${e instanceof Error ? e.message : String(e)}` });
    }
  });
  return { records, errors };
}

function readEvent(block: readonly Line[], zones: ReadonlyMap<string, string>): CalendarEvent {
  const text = ['BEGIN:VCALENDAR', 'VERSION:2.0', ...zones.values(), ...block.map((l) => l.text), 'END:VCALENDAR'].join('\r\n');
  const cal = new ICAL.Component(ICAL.parse(text) as unknown[]);
  const ev = cal.getFirstSubcomponent('vevent');
  if (!ev) throw new Error('no VEVENT');
  const str = (name: string): string | undefined => {
    const v = ev.getFirstPropertyValue(name);
    return v === null || v === undefined ? undefined : String(v);
  };
  const times = (name: string): CalendarTime[] =>
    ev.getAllProperties(name).flatMap((p) => {
      const tzid = p.getParameter('tzid');
      const json = p.toJSON() as unknown[];
      return json.slice(3).map((v) => readTime(typeof v === 'string' ? v.split('/')[0]! : String(v), typeof tzid === 'string' ? tzid : undefined, zones));
    });
  const start = times('dtstart')[0]!;
  const out: Mutable<CalendarEvent> = { uid: '', start };
  const set = <K extends keyof CalendarEvent>(k: K, v: CalendarEvent[K] | undefined) => {
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) out[k] = v;
  };
  const rid = times('recurrence-id')[0];
  if (rid) set('recurrenceId', recurrenceIdString(rid));
  set('summary', str('summary'));
  set('description', str('description'));
  set('location', str('location'));
  set('url', str('url'));
  set('status', str('status'));
  set('end', times('dtend')[0]);
  set('duration', str('duration'));
  const rrule = ev.getFirstProperty('rrule');
  if (rrule) set('rrule', (rrule.getFirstValue() as ICAL.Recur).toString());
  set('exdates', times('exdate'));
  set('rdates', times('rdate'));
  set('alarms', ev.getAllSubcomponents('valarm').map(readAlarm));
  set('attendees', ev.getAllProperties('attendee').map((p) => {
    const a: Mutable<CalendarAttendee> = { email: mailto(String(p.getFirstValue() ?? '')) };
    for (const [k, param] of [['name', 'cn'], ['role', 'role'], ['partstat', 'partstat']] as const) {
      const v = p.getParameter(param);
      if (typeof v === 'string') a[k] = v;
    }
    return a;
  }));
  const org = ev.getFirstProperty('organizer');
  if (org) {
    const cn = org.getParameter('cn');
    out.organizer = { email: mailto(String(org.getFirstValue() ?? '')), ...(typeof cn === 'string' ? { name: cn } : {}) };
  }
  set('categories', ev.getAllProperties('categories').flatMap((p) => p.getValues().map(String)));
  set('transparency', str('transp'));
  set('created', utcString(ev.getFirstProperty('created')));
  set('lastModified', utcString(ev.getFirstProperty('last-modified')));
  const seq = ev.getFirstPropertyValue('sequence');
  if (typeof seq === 'number' && Number.isFinite(seq)) out.sequence = seq;
  const uid = str('uid');
  out.uid = uid ?? `kura-${fnv1a64(JSON.stringify([out.summary ?? null, out.start, out.end ?? null, out.rrule ?? null]))}`;
  return out;
}

function mailto(v: string): string {
  return v.replace(/^mailto:/i, '');
}

function utcString(p: ICAL.Property | null): string | undefined {
  if (!p) return undefined;
  const v = (p.toJSON() as unknown[])[3];
  return typeof v === 'string' ? (v.includes('T') ? v.replace(/Z?$/, 'Z') : v) : undefined;
}

function recurrenceIdString(t: CalendarTime): string {
  if ('date' in t) return t.date;
  return t.timeZone === 'UTC' ? `${t.dateTime}Z` : t.dateTime + (t.timeZone ?? t.tzid ? `[${t.timeZone ?? t.tzid}]` : '');
}

function readAlarm(a: ICAL.Component): CalendarAlarm {
  const trig = a.getFirstProperty('trigger');
  const raw = trig ? String((trig.toJSON() as unknown[])[3] ?? '') : '';
  const related = trig?.getParameter('related');
  const trigger: CalendarAlarm['trigger'] = /^[+-]?P/.test(raw)
    ? { relative: raw, ...(typeof related === 'string' && related.toUpperCase() === 'END' ? { related: 'END' as const } : {}) }
    : { absolute: raw.replace(/Z?$/, 'Z') };
  const description = a.getFirstPropertyValue('description');
  return {
    action: String(a.getFirstPropertyValue('action') ?? 'DISPLAY'),
    trigger,
    ...(description !== null && description !== undefined ? { description: String(description) } : {}),
  };
}

/** A jCal date/date-time string and its TZID parameter as Kura's time, with the zone resolved. */
function readTime(v: string, tzid: string | undefined, zones: ReadonlyMap<string, string>): CalendarTime {
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return { date: v };
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z?$/.test(v)) throw new Error(`bad date ${v}`);
  if (v.endsWith('Z')) return { dateTime: v.slice(0, -1), timeZone: 'UTC' };
  if (tzid === undefined) return { dateTime: v };
  const id = tzid.replace(/^\//, '');
  if (isIanaZone(id)) return { dateTime: v, timeZone: id };
  const windows = WINDOWS_ZONES[id];
  if (windows) return { dateTime: v, timeZone: windows };
  const definition = zones.get(tzid);
  if (definition) {
    const zone = icalZone(definition);
    const iana = zone ? matchIana(zone, +v.slice(0, 4)) : undefined;
    if (iana) return { dateTime: v, timeZone: iana };
    return { dateTime: v, tzid, timeZoneDefinition: definition };
  }
  return { dateTime: v, tzid };
}
