/**
 * Numbers, sizes, dates and durations for the user's language, with Intl (never by hand), so
 * "1.5 GB" and "1.5 GB", "3 minutes" and "3分" come out right. Pure: the language is an argument.
 */
import type { Language } from '../../client/app-api.ts';

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** 1536 → "1.5 kB" (decimal units, as the operating systems people know show them). */
export function formatBytes(bytes: number, language: Language): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit: UNITS[unit],
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0,
  }).format(value);
}

export function formatNumber(n: number, language: Language): string {
  return new Intl.NumberFormat(language).format(n);
}

export function formatPercent(fraction: number, language: Language): string {
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(Math.min(1, Math.max(0, fraction)));
}

/** Bytes per second as "12 MB/s". */
export function formatRate(bytesPerSecond: number, language: Language): string {
  return `${formatBytes(bytesPerSecond, language)}/s`;
}

export function formatDateTime(ms: number, language: Language): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

export function formatDate(ms: number, language: Language, style: 'long' | 'medium' = 'long'): string {
  return new Intl.DateTimeFormat(language, { dateStyle: style }).format(ms);
}

/** "3 minutes ago", "yesterday", relative to `now`. */
export function formatRelative(ms: number, language: Language, now = Date.now()): string {
  const seconds = Math.round((ms - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 86400 * 30) return rtf.format(Math.round(seconds / 86400), 'day');
  return formatDate(ms, language, 'medium');
}

/** A remaining time as "2 min 5 sec" / "2分5秒". */
export function formatDuration(seconds: number, language: Language): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const part = (value: number, unit: 'hour' | 'minute' | 'second') =>
    new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'short' }).format(value);
  // Zero parts are left out: "3 min", not "3 min 0 sec".
  if (h > 0) return m > 0 ? `${part(h, 'hour')} ${part(m, 'minute')}` : part(h, 'hour');
  if (m > 0) return rest > 0 ? `${part(m, 'minute')} ${part(rest, 'second')}` : part(m, 'minute');
  return part(rest, 'second');
}
