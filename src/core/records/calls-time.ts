/**
 * Dates and durations as call-log exporters write them. A date without a zone is a wall-clock time
 * in the importer's zone; its offset comes from Intl.DateTimeFormat (no zone library ships with Kura).
 */

const TIME = String.raw`(?:[t\s,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,3})\d*)?)?\s*(am|pm)?)?\s*(z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?`;
const YMD = new RegExp(String.raw`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})${TIME}$`);
const MDY = new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{4})${TIME}$`);
const DMY = new RegExp(String.raw`^(\d{1,2})\.(\d{1,2})\.(\d{4})${TIME}$`);

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** A RangeError when the zone is not an IANA zone the runtime knows. */
export function checkTimeZone(timeZone: string): void {
  zoneFormat(timeZone);
}

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let f = offsetFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormats.set(timeZone, f);
  }
  return f;
}

/** Offset of `timeZone` from UTC, in ms, at the instant `utc`. */
function zoneOffset(utc: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of zoneFormat(timeZone).formatToParts(new Date(utc))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return wall - (utc - (((utc % 1000) + 1000) % 1000));
}

/** The UTC instant of a wall-clock time (given as if it were UTC) in `timeZone`. */
export function wallToUtc(wallAsUtc: number, timeZone: string): number {
  if (timeZone === 'UTC') return wallAsUtc;
  const first = wallAsUtc - zoneOffset(wallAsUtc, timeZone);
  const second = wallAsUtc - zoneOffset(first, timeZone);
  return second;
}

/**
 * Milliseconds since the epoch, or undefined when the text is no date Kura reads: epoch seconds or
 * ms; ISO 8601 with or without zone; YYYY/MM/DD HH:MM(:SS); 2023年11月15日 7:13; MM/DD/YYYY h:mm AM/PM;
 * DD.MM.YYYY HH:MM. A Japanese weekday "(水)" is ignored.
 */
export function parseCallDate(text: string, timeZone: string): number | undefined {
  const s = text
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/, '$1/$2/$3')
    .replace(/\s*[(（][日月火水木金土][)）]\s*/, ' ')
    .replace(/午前\s*(\d{1,2}:\d{2}(?::\d{2})?)/, '$1 am')
    .replace(/午後\s*(\d{1,2}:\d{2}(?::\d{2})?)/, '$1 pm')
    .replace(/\s+/g, ' ')
    .trim();
  if (/^\d{9,10}$/.test(s)) return Number(s) * 1000;
  if (/^\d{11,14}$/.test(s)) return Number(s);
  let m = YMD.exec(s);
  let y: string | undefined, mo: string | undefined, d: string | undefined;
  if (m) [y, mo, d] = [m[1], m[2], m[3]];
  else if ((m = MDY.exec(s))) [mo, d, y] = [m[1], m[2], m[3]];
  else if ((m = DMY.exec(s))) [d, mo, y] = [m[1], m[2], m[3]];
  if (!m) return undefined;
  const year = Number(y), month = Number(mo), day = Number(d);
  let hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0), second = Number(m[6] ?? 0);
  const ms = Number((m[7] ?? '').padEnd(3, '0') || 0);
  const ampm = m[8], zone = m[9];
  if (ampm) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (ampm === 'pm' ? 12 : 0);
  }
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (new Date(wall).getUTCDate() !== day || year < 1900) return undefined;
  if (!zone) return wallToUtc(wall, timeZone);
  if (zone === 'z' || zone === 'utc' || zone === 'gmt') return wall;
  const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!z) return undefined;
  const offset = (Number(z[2]) * 60 + Number(z[3] ?? 0)) * 60_000 * (z[1] === '-' ? -1 : 1);
  return wall - offset;
}

const UNITS = /^(?:(\d+)(?:時間|hours?|hrs?|h))?(?:(\d+)(?:分|minutes?|mins?|m))?(?:(\d+)(?:秒|seconds?|secs?|s))?$/;

/** Whole seconds from "65", "65.4", "1:05", "0:01:05", "1分5秒", "65秒", "1h 2m 5s"; empty is 0. */
export function parseDuration(text: string): number | undefined {
  const s = text.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, '');
  if (s === '') return 0;
  if (/^\d+(?:\.\d+)?$/.test(s)) return Math.round(Number(s));
  let m = /^(\d+):(\d{1,2})$/.exec(s);
  if (m) return Number(m[1]) * 60 + Number(m[2]);
  m = /^(\d+):(\d{1,2}):(\d{1,2})$/.exec(s);
  if (m) return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  m = UNITS.exec(s);
  if (m && (m[1] ?? m[2] ?? m[3]) !== undefined) return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  return undefined;
}
