/**
 * The three kinds of record Kura keeps, how one record is told apart from another (its key), and
 * which kind an export file holds. Pure, shared by the engine, the app and the tests.
 *
 * Key: a contact's uid; an event's uid plus its RECURRENCE-ID (an overridden instance shares the
 * series' UID but is a record of its own); a call's uid. Identity: for a contact without a UID of
 * its own (its uid was derived from its fields, so an edit changes it), the normalized formatted
 * name, so an edited export still lands on the record it edits.
 */
import type { Call } from './calls-model.ts';
import type { CalendarEvent } from './calendar.ts';
import type { Contact } from './contacts.ts';

export type RecordKind = 'contacts' | 'calendar' | 'calls';
export const RECORD_KINDS: readonly RecordKind[] = ['contacts', 'calendar', 'calls'];

export interface RecordOfKind {
  readonly contacts: Contact;
  readonly calendar: CalendarEvent;
  readonly calls: Call;
}
export type AnyRecord = RecordOfKind[RecordKind];

export function recordKey<K extends RecordKind>(kind: K, record: RecordOfKind[K]): string {
  if (kind === 'calendar') {
    const event = record as CalendarEvent;
    return event.recurrenceId ? `${event.uid}#${event.recurrenceId}` : event.uid;
  }
  return (record as Contact | Call).uid;
}

/**
 * Whether the record stored under `key` could be recognised by identity (identityKey below): a
 * contact whose uid Kura derived from its fields. Only those need reading to match an import.
 */
export function hasIdentity(kind: RecordKind, key: string): boolean {
  return kind === 'contacts' && key.startsWith('vcard-');
}

/** A second way to recognise the same record when its key changed with an edit; undefined if none. */
export function identityKey<K extends RecordKind>(kind: K, record: RecordOfKind[K]): string | undefined {
  if (kind !== 'contacts') return undefined;
  const contact = record as Contact;
  if (!contact.uid.startsWith('vcard-')) return undefined;
  const name = contact.formattedName.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
  return name ? `fn:${name}` : undefined;
}

/** Which kind an export holds, from its first bytes (and the file name as a tie-breaker). */
export function detectRecordKind(head: string, fileName = ''): RecordKind | undefined {
  const text = head.replace(/^\uFEFF/, '').trimStart().slice(0, 4096).toUpperCase();
  if (text.startsWith('BEGIN:VCARD')) return 'contacts';
  if (text.startsWith('BEGIN:VCALENDAR')) return 'calendar';
  if (text.startsWith('<?XML') || text.startsWith('<CALLS')) return text.includes('<CALLS') ? 'calls' : undefined;
  const extension = fileName.toLowerCase().split('.').pop();
  if (extension === 'vcf' || extension === 'vcard') return 'contacts';
  if (extension === 'ics' || extension === 'ical') return 'calendar';
  if (extension === 'csv' || extension === 'xml') return 'calls';
  return undefined;
}
