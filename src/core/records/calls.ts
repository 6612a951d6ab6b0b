/**
 * Call logs (issue 6): the XML of Android's "SMS Backup & Restore" and CSV exports with a header row
 * in English or Japanese, read into `Call`s; `toCallLogCsv` writes them back as a CSV this module
 * reads exactly.
 *
 * `uid`: call logs carry no id, so it is `call-` + FNV-1a 64-bit (hex) over the UTF-8 of the
 * canonical JSON `["call", normalized, start, type, durationSeconds]`: the same call read from the
 * same kind of export gets the same uid, and survives write→parse.
 */
import type { ParseResult } from './result.ts';
import { decodeExport } from './text.ts';
import { parseCallCsv } from './calls-csv.ts';
import { parseCallXml } from './calls-xml.ts';
import type { Call, CallLogOptions, CallType } from './calls-model.ts';

export type { Call, CallType, CallPresentation, CallLogOptions } from './calls-model.ts';
export { CALL_TYPES, PRESENTATIONS, normalizeNumber, callUid } from './calls-model.ts';

/** Reads a call log; never throws. */
export function parseCallLog(input: string | Uint8Array, options: CallLogOptions = {}): ParseResult<Call> {
  try {
    const text = decodeExport(input);
    const head = text.trimStart();
    if (head.startsWith('<')) {
      if (/<calls[\s>/]/.test(head.slice(0, 4096))) return parseCallXml(text);
      return { records: [], errors: [{ code: 'unknown-format', line: 1, message: 'XML without a <calls> element' }] };
    }
    return parseCallCsv(text, options.timeZone ?? 'UTC');
  } catch (e) {
    return { records: [], errors: [{ code: 'malformed', message: `call log unreadable: ${String(e)}` }] };
  }
}

const TYPE_LABELS: Record<CallType, string> = {
  incoming: 'Incoming',
  outgoing: 'Outgoing',
  missed: 'Missed',
  voicemail: 'Voicemail',
  rejected: 'Rejected',
  blocked: 'Blocked',
};

/**
 * The first five columns are the fixed English header; the last four keep the optional fields
 * through write→parse (empty when a call has none).
 */
export const CALL_LOG_CSV_HEADER = ['Date', 'Number', 'Name', 'Type', 'Duration (s)', 'SIM', 'Presentation', 'Country ISO', 'Post-dial digits'] as const;

function csvCell(value: string): string {
  return /[",\r\n;\t]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** UTF-8 CSV (as a string, with a BOM so Excel reads Japanese), CRLF lines, ISO 8601 UTC dates. */
export function toCallLogCsv(calls: readonly Call[]): string {
  const rows = [CALL_LOG_CSV_HEADER.join(',')];
  for (const c of calls) {
    rows.push(
      [
        new Date(c.start).toISOString(),
        c.number,
        c.name ?? '',
        TYPE_LABELS[c.type],
        String(c.durationSeconds),
        c.subscriptionId ?? '',
        c.presentation ?? '',
        c.countryIso ?? '',
        c.postDialDigits ?? '',
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return '\uFEFF' + rows.join('\r\n') + '\r\n';
}
