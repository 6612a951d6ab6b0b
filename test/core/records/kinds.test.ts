/** Which kind a file holds, and how records are keyed. */
import { expect, test } from 'vitest';
import { detectRecordKind, identityKey, recordKey } from '../../../src/core/records/kinds.ts';
import type { CalendarEvent, Contact } from '../../../src/core/records/index.ts';

test('the content decides; the extension only breaks a tie', () => {
  expect(detectRecordKind('\uFEFFBEGIN:VCARD\r\nVERSION:3.0', 'export.txt')).toBe('contacts');
  expect(detectRecordKind('  begin:vcalendar\n', 'a.vcf')).toBe('calendar');
  expect(detectRecordKind("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<calls count=\"2\">", 'x')).toBe('calls');
  expect(detectRecordKind('<?xml version="1.0"?><smses count="1">', 'sms.xml')).toBeUndefined();
  expect(detectRecordKind('Date,Number,Type\n', 'log.csv')).toBe('calls');
  expect(detectRecordKind('Date,Number,Type\n', 'log.txt')).toBeUndefined();
  expect(detectRecordKind('', 'empty.ics')).toBe('calendar');
});

test('an overridden instance is its own record; a contact without a UID is also known by its name', () => {
  const event = { uid: 'e1', start: { date: '2026-01-01' } } as CalendarEvent;
  expect(recordKey('calendar', event)).toBe('e1');
  expect(recordKey('calendar', { ...event, recurrenceId: '20260108T100000Z' })).toBe('e1#20260108T100000Z');
  const contact = { uid: 'vcard-0123456789abcdef', formattedName: '  ＹＡＭＡＤＡ   Hanako ' } as Contact;
  expect(identityKey('contacts', contact)).toBe('fn:yamada hanako');
  expect(identityKey('contacts', { ...contact, uid: 'urn:uuid:1' })).toBeUndefined();
  expect(identityKey('calls', { uid: 'c' } as never)).toBeUndefined();
});
