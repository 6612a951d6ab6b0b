/** The one door (records/index.ts): each kind read and written back through it. */
import { describe, expect, test } from 'vitest';
import { parseCalendar, parseCallLog, parseContacts, toCallLogCsv, toICalendar, toVCard } from '../../../src/core/records/index.ts';

describe('records', () => {
  test('a contact, an event and a call go through parse → write → parse unchanged', () => {
    const contacts = parseContacts('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:山田 花子\r\nN:山田;花子;;;\r\nTEL;TYPE=CELL:090-1234-5678\r\nEND:VCARD\r\n');
    expect(contacts.errors).toEqual([]);
    expect(parseContacts(toVCard(contacts.records, { version: '4.0' })).records).toEqual(contacts.records);

    const events = parseCalendar('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:e1\r\nDTSTART;VALUE=DATE:20261203\r\nSUMMARY:忘年会\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n');
    expect(events.errors).toEqual([]);
    expect(parseCalendar(toICalendar(events.records)).records).toEqual(events.records);

    const calls = parseCallLog('Date,Number,Name,Type,Duration (s)\r\n2026-11-29T09:00:00Z,+819012345678,山田,incoming,65\r\n');
    expect(calls.errors).toEqual([]);
    expect(calls.records[0]).toMatchObject({ type: 'incoming', durationSeconds: 65, name: '山田' });
    expect(parseCallLog(toCallLogCsv(calls.records)).records).toEqual(calls.records);
  });
});
