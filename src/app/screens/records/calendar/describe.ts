/**
 * An event's recurrence and alarms in words ("Every 2 weeks on Monday and Wednesday, until 30 June
 * 2024", "15 minutes before"). Only the common RRULE shapes are put in words; any other rule is
 * shown as its text (undefined here), which is better than a sentence that says something else.
 * Pure: the catalogue lookup is a parameter.
 */
import type { CalendarAlarm } from '../../../../core/records/calendar.ts';

export type Translate = (key: string, values?: Record<string, string | number>) => string;

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const FREQS = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
const KNOWN_PARTS = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'COUNT', 'UNTIL', 'WKST']);

export interface Rule {
  readonly freq: (typeof FREQS)[number];
  readonly interval: number;
  /** Weekdays, each with an ordinal for monthly rules (2 = second, -1 = last). */
  readonly byDay: readonly { readonly day: number; readonly nth?: number }[];
  readonly byMonthDay?: number;
  readonly count?: number;
  readonly until?: string;
}

/** The rule's parts, or undefined when it has parts this describer does not put in words. */
export function parseRule(text: string): Rule | undefined {
  const parts = new Map<string, string>();
  for (const part of text.trim().replace(/^RRULE:/i, '').split(';')) {
    if (!part) continue;
    const [name, value] = part.split('=');
    if (!name || value === undefined || !KNOWN_PARTS.has(name.toUpperCase())) return undefined;
    parts.set(name.toUpperCase(), value.toUpperCase());
  }
  const freq = FREQS.find((f) => f === parts.get('FREQ'));
  if (!freq) return undefined;
  const interval = Number(parts.get('INTERVAL') ?? '1');
  if (!Number.isInteger(interval) || interval < 1) return undefined;
  const byDay: { day: number; nth?: number }[] = [];
  for (const d of parts.get('BYDAY')?.split(',') ?? []) {
    const m = /^([+-]?[1-5])?(SU|MO|TU|WE|TH|FR|SA)$/.exec(d);
    if (!m || Number(m[1] ?? 1) < -1) return undefined;
    byDay.push(m[1] ? { day: WEEKDAYS.indexOf(m[2]!), nth: Number(m[1]) } : { day: WEEKDAYS.indexOf(m[2]!) });
  }
  // Which shapes read well: weekdays for weekly rules, one nth weekday or one day for monthly ones.
  if (byDay.length && freq !== 'WEEKLY' && !(freq === 'MONTHLY' && byDay.length === 1 && byDay[0]!.nth !== undefined)) return undefined;
  if (freq === 'WEEKLY' && byDay.some((d) => d.nth !== undefined)) return undefined;
  const monthDay = parts.get('BYMONTHDAY');
  if (monthDay !== undefined && (freq !== 'MONTHLY' || !/^([1-9]|[12]\d|3[01])$/.test(monthDay) || byDay.length)) return undefined;
  const count = parts.get('COUNT');
  if (count !== undefined && !/^\d+$/.test(count)) return undefined;
  const until = parts.get('UNTIL');
  if (until !== undefined && !/^\d{8}(T\d{6}Z?)?$/.test(until)) return undefined;
  return {
    freq,
    interval,
    byDay,
    ...(monthDay !== undefined ? { byMonthDay: Number(monthDay) } : {}),
    ...(count !== undefined ? { count: Number(count) } : {}),
    ...(until !== undefined ? { until } : {}),
  };
}

/** A weekday's name (0 Sunday) in the language: 2024-01-07 was a Sunday. */
export function weekdayName(day: number, language: string, width: 'long' | 'short' = 'long'): string {
  return new Intl.DateTimeFormat(language, { weekday: width, timeZone: 'UTC' }).format(Date.UTC(2024, 0, 7 + day, 12));
}

function untilText(until: string, language: string, zone: string): string {
  const date = `${until.slice(0, 4)}-${until.slice(4, 6)}-${until.slice(6, 8)}`;
  if (until.length === 8) return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(Date.parse(`${date}T12:00:00Z`));
  const time = `${until.slice(9, 11)}:${until.slice(11, 13)}:${until.slice(13, 15)}`;
  // A UTC UNTIL is an instant, shown in the user's zone; a floating one is a wall clock, shown as is.
  const instant = Date.parse(`${date}T${time}Z`);
  return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: until.endsWith('Z') ? zone : 'UTC' }).format(instant);
}

/** The rule in words, or undefined when it is not one of the shapes described. */
export function describeRule(text: string, t: Translate, language: string, zone: string): string | undefined {
  const rule = parseRule(text);
  if (!rule) return undefined;
  const n = rule.interval;
  let sentence: string;
  if (rule.freq === 'DAILY') sentence = t('calendar.rule.daily', { n });
  else if (rule.freq === 'WEEKLY')
    sentence = rule.byDay.length
      ? t('calendar.rule.weeklyOn', { n, days: new Intl.ListFormat(language, { type: 'conjunction' }).format(rule.byDay.map((d) => weekdayName(d.day, language))) })
      : t('calendar.rule.weekly', { n });
  else if (rule.freq === 'MONTHLY') {
    const nth = rule.byDay[0];
    if (nth?.nth !== undefined) sentence = t('calendar.rule.monthlyWeekday', { n, nth: t(`calendar.rule.ordinal.${nth.nth === -1 ? 'last' : nth.nth}`), weekday: weekdayName(nth.day, language) });
    else if (rule.byMonthDay !== undefined) sentence = t('calendar.rule.monthlyDay', { n, day: rule.byMonthDay });
    else sentence = t('calendar.rule.monthly', { n });
  } else sentence = t('calendar.rule.yearly', { n });
  if (rule.count !== undefined) sentence = t('calendar.rule.count', { rule: sentence, count: rule.count });
  if (rule.until !== undefined) sentence = t('calendar.rule.until', { rule: sentence, date: untilText(rule.until, language, zone) });
  return sentence;
}

const DURATION = /^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** An iCalendar duration as words in the language ("1 hour, 30 minutes"); undefined when unreadable. */
export function durationWords(duration: string, language: string): { words: string; negative: boolean; zero: boolean } | undefined {
  const m = DURATION.exec(duration.trim().toUpperCase());
  if (!m || duration.trim().length < 3) return undefined;
  const [, sign, w, d, h, min, s] = m;
  const total = (Number(w ?? 0) * 7 + Number(d ?? 0)) * 86400 + Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s ?? 0);
  const units: [number, 'day' | 'hour' | 'minute' | 'second'][] = [
    [Math.floor(total / 86400), 'day'],
    [Math.floor((total % 86400) / 3600), 'hour'],
    [Math.floor((total % 3600) / 60), 'minute'],
    [total % 60, 'second'],
  ];
  const words = units
    .filter(([value]) => value > 0)
    .map(([value, unit]) => new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'long' }).format(value));
  return { words: new Intl.ListFormat(language, { type: 'unit', style: 'long' }).format(words), negative: sign === '-', zero: total === 0 };
}

/** "15 minutes before", "At the start", "On 11 March 2024 at 22:00". */
export function describeAlarm(alarm: CalendarAlarm, t: Translate, language: string, zone: string): string {
  if ('absolute' in alarm.trigger) {
    const time = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }).format(Date.parse(alarm.trigger.absolute));
    return t('calendar.alarm.at', { time });
  }
  const end = alarm.trigger.related === 'END';
  const d = durationWords(alarm.trigger.relative, language);
  if (!d) return alarm.trigger.relative;
  if (d.zero) return t(end ? 'calendar.alarm.atEnd' : 'calendar.alarm.atStart');
  const key = d.negative ? (end ? 'beforeEnd' : 'before') : end ? 'afterEnd' : 'after';
  return t(`calendar.alarm.${key}`, { amount: d.words });
}
