/**
 * Time zones for iCalendar (issue 6): Outlook writes Windows zone names ("Tokyo Standard Time") and
 * custom VTIMEZONEs; Kura keeps IANA ids. Offsets of IANA zones come from Intl (full ICU in Node
 * and browsers), offsets of a kept VTIMEZONE from ical.js.
 */
import ICAL from 'ical.js';

/** The common Windows zone names (CLDR windowsZones, territory 001) and their IANA ids. */
export const WINDOWS_ZONES: Readonly<Record<string, string>> = {
  'Tokyo Standard Time': 'Asia/Tokyo',
  'Korea Standard Time': 'Asia/Seoul',
  'China Standard Time': 'Asia/Shanghai',
  'Taipei Standard Time': 'Asia/Taipei',
  'Singapore Standard Time': 'Asia/Singapore',
  'SE Asia Standard Time': 'Asia/Bangkok',
  'India Standard Time': 'Asia/Kolkata',
  'Arabian Standard Time': 'Asia/Dubai',
  'Russian Standard Time': 'Europe/Moscow',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Romance Standard Time': 'Europe/Paris',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Central European Standard Time': 'Europe/Warsaw',
  'FLE Standard Time': 'Europe/Kiev',
  'GTB Standard Time': 'Europe/Bucharest',
  'Pacific Standard Time': 'America/Los_Angeles',
  'Mountain Standard Time': 'America/Denver',
  'US Mountain Standard Time': 'America/Phoenix',
  'Central Standard Time': 'America/Chicago',
  'Eastern Standard Time': 'America/New_York',
  'Atlantic Standard Time': 'America/Halifax',
  'Alaskan Standard Time': 'America/Anchorage',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'E. South America Standard Time': 'America/Sao_Paulo',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'New Zealand Standard Time': 'Pacific/Auckland',
  UTC: 'UTC',
};

/** Zones tried, in this order, against a custom VTIMEZONE's offsets. */
const CANDIDATES = [...new Set([...Object.values(WINDOWS_ZONES), 'Asia/Hong_Kong', 'Asia/Manila', 'Asia/Jakarta'])];

const formatters = new Map<string, Intl.DateTimeFormat | null>();
function formatter(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
        hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      f = null;
    }
    formatters.set(zone, f);
  }
  return f;
}

/** True for an id Intl knows (IANA ids and UTC); Windows names are not. */
export function isIanaZone(id: string): boolean {
  return /^(UTC|[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+)$/.test(id) && formatter(id) !== null;
}

/** Offset from UTC, in ms, of an IANA zone at an instant. */
export function ianaOffset(zone: string, instant: number): number {
  const f = formatter(zone);
  if (!f) return 0;
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(instant))) p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** Wall-clock 'YYYY-MM-DDTHH:MM:SS' read as UTC, in ms. */
export function wallMs(dateTime: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}))?/.exec(dateTime);
  if (!m) return NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
}

/** The instant of a wall-clock time in an IANA zone (the earlier one in a fold, shifted forward in a gap). */
export function ianaWallToInstant(dateTime: string, zone: string): number {
  const wall = wallMs(dateTime);
  let guess = wall - ianaOffset(zone, wall);
  guess = wall - ianaOffset(zone, guess);
  return guess;
}

/** An ical.js zone built from a kept VTIMEZONE text, or null when it cannot be read. */
export function icalZone(definition: string): ICAL.Timezone | null {
  try {
    const comp = new ICAL.Component(ICAL.parse(`BEGIN:VCALENDAR\r\n${definition}\r\nEND:VCALENDAR`) as unknown[]);
    const vtz = comp.getFirstSubcomponent('vtimezone');
    return vtz ? new ICAL.Timezone(vtz) : null;
  } catch {
    return null;
  }
}

/** The instant of a wall-clock time in a zone given by a kept VTIMEZONE definition. */
export function definedWallToInstant(dateTime: string, zone: ICAL.Timezone): number {
  const t = ICAL.Time.fromDateTimeString(dateTime);
  const offset = zone.utcOffset(t);
  return wallMs(dateTime) - offset * 1000;
}

/**
 * The IANA zone whose offsets equal a custom VTIMEZONE's at the 15th of every month of `year`
 * and the next (enough to tell zones with and without DST, and DST rules apart), or undefined.
 */
export function matchIana(zone: ICAL.Timezone, year: number): string | undefined {
  const samples: number[] = [];
  for (const y of [year, year + 1]) for (let mo = 0; mo < 12; mo++) samples.push(Date.UTC(y, mo, 15, 12));
  const own = samples.map((ms) => {
    const t = ICAL.Time.fromJSDate(new Date(ms), true);
    return zone.utcOffset(t) * 1000;
  });
  return CANDIDATES.find((c) => samples.every((ms, i) => ianaOffset(c, ms) === own[i]));
}
