/**
 * One line that tells a record apart from its neighbours, for lists that show records of any kind
 * (the import preview, the history panel): a contact's name and first phone or email, an event's
 * summary and start, a call's type, number and time. And which fields differ between two states
 * of a record, named for the user. Pure: the language, the translator and the zone are arguments.
 */
import type { Language } from '../../../../client/app-api.ts';
import type { RecordKind, RecordOfKind } from '../../../../client/records-api.ts';
import type { Call, CalendarEvent, CalendarTime, Contact } from '../../../../core/records/index.ts';
import { ianaWallToInstant, isIanaZone, wallMs } from '../../../../core/records/calendar-zones.ts';

/** The catalogue lookup ($_ from svelte-i18n, or a stand-in in tests). */
export type Translate = (key: string, options?: { values?: Record<string, string | number> }) => string;

export interface DescribeOptions {
  readonly language: Language;
  readonly t: Translate;
  /** The zone times are shown in; the device's when left out. */
  readonly timeZone?: string;
}

const SEPARATOR = ' · ';

export function describeContact(contact: Contact, { t }: Pick<DescribeOptions, 't'>): string {
  const name = contact.formattedName.trim() || contact.organization?.trim() || t('records.describe.noName');
  const reach = contact.phones[0]?.value ?? contact.emails[0]?.value;
  return reach ? `${name}${SEPARATOR}${reach}` : name;
}

/** When a calendar time starts, in words: a date for all-day, else a date and time. */
export function formatCalendarTime(time: CalendarTime, language: Language, timeZone?: string): string {
  if ('date' in time) return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(wallMs(time.date));
  const withTime = { dateStyle: 'medium', timeStyle: 'short' } as const;
  // A UTC or IANA time is an instant: shown in the user's zone. A floating time (or a zone Kura
  // could not name) is shown as written, which is what the calendar that made it meant.
  if (time.timeZone === 'UTC') return new Intl.DateTimeFormat(language, { ...withTime, timeZone }).format(wallMs(time.dateTime));
  if (time.timeZone && isIanaZone(time.timeZone)) {
    return new Intl.DateTimeFormat(language, { ...withTime, timeZone }).format(ianaWallToInstant(time.dateTime, time.timeZone));
  }
  return new Intl.DateTimeFormat(language, { ...withTime, timeZone: 'UTC' }).format(wallMs(time.dateTime));
}

export function describeEvent(event: CalendarEvent, { language, t, timeZone }: DescribeOptions): string {
  const summary = event.summary?.trim() || t('records.describe.untitled');
  return `${summary}${SEPARATOR}${formatCalendarTime(event.start, language, timeZone)}`;
}

export function describeCall(call: Call, { language, t, timeZone }: DescribeOptions): string {
  const who = call.name ? `${call.name} (${call.number})` : call.number || t('records.describe.hiddenNumber');
  const when = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(call.start);
  return [t(`records.describe.callType.${call.type}`), who, when].join(SEPARATOR);
}

export function describeRecord<K extends RecordKind>(kind: K, record: RecordOfKind[K], options: DescribeOptions): string {
  if (kind === 'contacts') return describeContact(record as Contact, options);
  if (kind === 'calendar') return describeEvent(record as CalendarEvent, options);
  return describeCall(record as Call, options);
}

/** Fields that only restate others (the key; a number's normalized form): never listed as changes. */
const DERIVED = new Set(['uid', 'normalized']);

/** The fields the catalogue names (records.fields.<name>), in the order changes are listed; any other is shown as spelled, last. */
export const NAMED_FIELDS: readonly string[] = [
  // contacts
  'formattedName', 'name', 'reading', 'nickname', 'organization', 'department', 'title', 'phones', 'emails', 'addresses', 'urls',
  'birthday', 'anniversary', 'note', 'categories', 'photo', 'rev',
  // calendar
  'recurrenceId', 'summary', 'description', 'location', 'url', 'status', 'start', 'end', 'duration', 'rrule', 'exdates', 'rdates',
  'alarms', 'attendees', 'organizer', 'transparency', 'created', 'lastModified', 'sequence',
  // calls
  'number', 'type', 'durationSeconds', 'subscriptionId', 'presentation', 'countryIso', 'postDialDigits',
];
const ORDER = new Map(NAMED_FIELDS.map((field, i) => [field, i]));

/** The fields whose values differ between two states of a record (a field one of them lacks counts). */
export function changedFields(before: object, after: object): string[] {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const rank = (f: string) => ORDER.get(f) ?? NAMED_FIELDS.length;
  return fields.filter((f) => !DERIVED.has(f) && JSON.stringify(a[f]) !== JSON.stringify(b[f])).sort((x, y) => rank(x) - rank(y));
}

export function fieldLabel(field: string, t: Translate): string {
  return ORDER.has(field) ? t(`records.fields.${field}`) : field;
}
