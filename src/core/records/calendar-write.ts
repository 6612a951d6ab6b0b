/**
 * Kura's calendar events as an iCalendar file (RFC 5545): CRLF, lines folded at 75 octets (never
 * inside a UTF-8 sequence), TEXT escaped. Zones: a kept custom VTIMEZONE is written back as it
 * was; an IANA zone is written as TZID=<IANA id> without a VTIMEZONE (ical.js cannot generate
 * one; Google, Apple and Outlook resolve IANA TZIDs themselves).
 */
import type { CalendarEvent, CalendarTime } from './calendar.ts';

const encoder = new TextEncoder();

/** Folds one content line at 75 octets; continuation lines start with a space. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const n = encoder.encode(ch).length;
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + n > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += n;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

export function escapeText(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\n|\r/g, '\\n');
}

function param(v: string): string {
  const clean = v.replace(/"/g, "'").replace(/[\r\n]/g, ' ');
  return /[;:,]/.test(clean) ? `"${clean}"` : clean;
}

const compact = (v: string) => v.replace(/[-:]/g, '');

function timeLine(name: string, t: CalendarTime): string {
  if ('date' in t) return `${name};VALUE=DATE:${compact(t.date)}`;
  if (t.timeZone === 'UTC') return `${name}:${compact(t.dateTime)}Z`;
  const zone = t.timeZone ?? t.tzid;
  return zone ? `${name};TZID=${param(zone)}:${compact(t.dateTime)}` : `${name}:${compact(t.dateTime)}`;
}

function timesLines(name: string, times: readonly CalendarTime[] | undefined): string[] {
  return (times ?? []).map((t) => timeLine(name, t));
}

function recurrenceIdLine(id: string): string {
  const m = /^([^[]+?)(Z)?(?:\[(.+)\])?$/.exec(id);
  if (!m) return `RECURRENCE-ID:${compact(id)}`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(m[1]!)) return `RECURRENCE-ID;VALUE=DATE:${compact(m[1]!)}`;
  if (m[2]) return `RECURRENCE-ID:${compact(m[1]!)}Z`;
  return m[3] ? `RECURRENCE-ID;TZID=${param(m[3])}:${compact(m[1]!)}` : `RECURRENCE-ID:${compact(m[1]!)}`;
}

const utc = (v: string) => (v.includes('T') ? `${compact(v.replace(/Z$/, ''))}Z` : compact(v));

function eventLines(e: CalendarEvent): string[] {
  const out: string[] = ['BEGIN:VEVENT', `UID:${escapeText(e.uid)}`];
  out.push(`DTSTAMP:${utc(e.lastModified ?? e.created ?? '1970-01-01T00:00:00Z')}`);
  if (e.recurrenceId !== undefined) out.push(recurrenceIdLine(e.recurrenceId));
  out.push(timeLine('DTSTART', e.start));
  if (e.end) out.push(timeLine('DTEND', e.end));
  if (e.duration !== undefined) out.push(`DURATION:${e.duration}`);
  if (e.rrule !== undefined) out.push(`RRULE:${e.rrule}`);
  out.push(...timesLines('EXDATE', e.exdates), ...timesLines('RDATE', e.rdates));
  const text: [string, string | undefined][] = [
    ['SUMMARY', e.summary], ['DESCRIPTION', e.description], ['LOCATION', e.location], ['STATUS', e.status], ['TRANSP', e.transparency],
  ];
  for (const [k, v] of text) if (v !== undefined) out.push(`${k}:${escapeText(v)}`);
  if (e.url !== undefined) out.push(`URL:${e.url}`);
  // One line per category: ical.js mis-splits a list whose value ends in a backslash before the separating comma.
  for (const c of e.categories ?? []) out.push(`CATEGORIES:${escapeText(c)}`);
  if (e.organizer) out.push(`ORGANIZER${e.organizer.name !== undefined ? `;CN=${param(e.organizer.name)}` : ''}:mailto:${e.organizer.email}`);
  for (const a of e.attendees ?? []) {
    const ps = [a.name !== undefined ? `;CN=${param(a.name)}` : '', a.role ? `;ROLE=${param(a.role)}` : '', a.partstat ? `;PARTSTAT=${param(a.partstat)}` : ''];
    out.push(`ATTENDEE${ps.join('')}:mailto:${a.email}`);
  }
  if (e.created !== undefined) out.push(`CREATED:${utc(e.created)}`);
  if (e.lastModified !== undefined) out.push(`LAST-MODIFIED:${utc(e.lastModified)}`);
  if (e.sequence !== undefined) out.push(`SEQUENCE:${e.sequence}`);
  for (const a of e.alarms ?? []) {
    out.push('BEGIN:VALARM', `ACTION:${a.action}`);
    if ('relative' in a.trigger) out.push(`TRIGGER${a.trigger.related ? ';RELATED=END' : ''}:${a.trigger.relative}`);
    else out.push(`TRIGGER;VALUE=DATE-TIME:${utc(a.trigger.absolute)}`);
    if (a.description !== undefined) out.push(`DESCRIPTION:${escapeText(a.description)}`);
    out.push('END:VALARM');
  }
  out.push('END:VEVENT');
  return out;
}

/** The kept VTIMEZONE definitions the events use, once each, by TZID. */
function definitions(events: readonly CalendarEvent[]): string[] {
  const found = new Map<string, string>();
  for (const e of events) {
    for (const t of [e.start, e.end, ...(e.exdates ?? []), ...(e.rdates ?? [])]) {
      if (t && 'dateTime' in t && t.tzid !== undefined && t.timeZoneDefinition !== undefined) found.set(t.tzid, t.timeZoneDefinition);
    }
  }
  return [...found.values()];
}

export function toICalendar(events: readonly CalendarEvent[]): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Kura//EN', 'CALSCALE:GREGORIAN'];
  for (const def of definitions(events)) lines.push(...def.split(/\r\n|\n|\r/).filter((l) => l !== ''));
  for (const e of events) lines.push(...eventLines(e));
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
