/**
 * Contacts, schedules and call history as records (issue 6): the one door every part of Kura uses
 * to read export files and write them back. Pure: runs in page, worker, server and tests.
 */
export type { ParseResult, RecordError, RecordErrorCode } from './result.ts';
export { parseContacts } from './contacts-parse.ts';
export { toVCard, type Contact, type ContactAddress, type ContactDate, type ContactName, type ContactPhoto, type ContactReading, type ContactValue } from './contacts.ts';
export { parseCalendar, type CalendarEvent, type CalendarTime } from './calendar.ts';
export { toICalendar } from './calendar-write.ts';
export { expandOccurrences, type Occurrence } from './calendar-expand.ts';
export { parseCallLog, toCallLogCsv, type Call, type CallType } from './calls.ts';
