/** Records as the file the user asked for: vCard 3.0 or 4.0, iCalendar, or CSV, with its name and type. */
import { KuraError } from '../../core/errors.ts';
import { toCallLogCsv, toICalendar, toVCard, type CalendarEvent, type Call, type Contact } from '../../core/records/index.ts';
import type { AnyRecord, RecordKind } from '../../core/records/kinds.ts';
import { EXPORT_FORMATS, type ExportFormat } from '../records-api.ts';

export interface ExportedFile {
  readonly text: string;
  readonly fileName: string;
  readonly type: string;
  readonly count: number;
}

const EXTENSION: Record<ExportFormat, string> = { 'vcard-3.0': 'vcf', 'vcard-4.0': 'vcf', icalendar: 'ics', csv: 'csv' };
const MEDIA_TYPE: Record<ExportFormat, string> = { 'vcard-3.0': 'text/vcard', 'vcard-4.0': 'text/vcard', icalendar: 'text/calendar', csv: 'text/csv' };

export function exportedFile(kind: RecordKind, records: readonly AnyRecord[], format: ExportFormat, now: number): ExportedFile {
  if (!EXPORT_FORMATS[kind].includes(format)) throw new KuraError('invalid-argument', { kind, format });
  const text =
    format === 'vcard-3.0' || format === 'vcard-4.0'
      ? toVCard(records as Contact[], { version: format === 'vcard-3.0' ? '3.0' : '4.0' })
      : format === 'icalendar'
        ? toICalendar(records as CalendarEvent[])
        : // A byte-order mark, so spreadsheet programs open Japanese names as UTF-8.
          `\uFEFF${toCallLogCsv(records as Call[])}`;
  const day = new Date(now).toISOString().slice(0, 10);
  return { text, fileName: `kura-${kind}-${day}.${EXTENSION[format]}`, type: MEDIA_TYPE[format], count: records.length };
}
