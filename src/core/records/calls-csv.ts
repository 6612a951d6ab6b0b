/**
 * Call-log CSV with a header row in English or Japanese. The header is detected, never assumed: it
 * is the first of the first 20 rows whose cells name at least a number and a date column (title
 * rows above it are skipped). Delimiter: comma, tab or semicolon, whichever makes a header row
 * (papaparse's own guess counts delimiters in quoted names, so it is not used).
 */
import Papa from 'papaparse';
import type { ParseResult, RecordError, RecordErrorCode } from './result.ts';
import { makeCall, PRESENTATIONS, type Call, type CallPresentation, type CallType } from './calls-model.ts';
import { checkTimeZone, parseCallDate, parseDuration } from './calls-time.ts';

type Column = 'number' | 'name' | 'type' | 'datetime' | 'date' | 'time' | 'duration' | 'sim' | 'presentation' | 'country' | 'postdial';

const COLUMN_NAMES: Record<Column, readonly string[]> = {
  number: ['number', 'phone', 'phone number', 'phone no', 'telephone', 'tel', '電話番号', '番号', '相手先', '相手先番号', '相手番号'],
  name: ['name', 'contact', 'contact name', 'caller', 'caller name', '名前', '氏名', '相手', '相手先名', '連絡先', '登録名'],
  type: ['type', 'call type', 'direction', '種別', '発着信', '区分', '通話種別', '発着信種別'],
  datetime: ['date/time', 'datetime', 'date time', 'date & time', 'start', 'start time', 'started', '日時', '開始日時', '通話日時', '発着信日時', '通話開始日時'],
  date: ['date', '日付', '年月日', '通話日'],
  time: ['time', '時刻', '開始時刻', '通話時刻'],
  duration: ['duration', 'seconds', 'duration (s)', 'duration (sec)', 'length', '通話時間', '時間', '通話秒数'],
  sim: ['sim', 'sim id', 'subscription', 'subscription id', 'sim slot'],
  presentation: ['presentation', 'number presentation'],
  country: ['country', 'country iso', 'country code'],
  postdial: ['post-dial digits', 'post dial digits', 'postdial'],
};

const NAME_TO_COLUMN = new Map<string, Column>();
for (const [col, names] of Object.entries(COLUMN_NAMES) as [Column, readonly string[]][]) for (const n of names) NAME_TO_COLUMN.set(n, col);

function columnOf(cell: string): Column | undefined {
  const key = cell.normalize('NFKC').replace(/^\uFEFF/, '').trim().toLowerCase().replace(/\s+/g, ' ');
  return NAME_TO_COLUMN.get(key) ?? NAME_TO_COLUMN.get(key.replace(/\s*\([^)]*\)$/, ''));
}

type Header = Partial<Record<Column, number>>;

function detectHeader(row: readonly string[]): Header | undefined {
  const header: Header = {};
  row.forEach((cell, i) => {
    const col = columnOf(cell);
    if (col && header[col] === undefined) header[col] = i;
  });
  const hasDate = header.datetime !== undefined || header.date !== undefined || header.time !== undefined;
  return header.number !== undefined && hasDate ? header : undefined;
}

const TYPE_WORDS: Record<string, CallType> = {};
const words: Record<CallType, readonly string[]> = {
  incoming: ['incoming', 'in', 'inbound', 'received', 'answered', '着信', '受信', '1', '7'],
  outgoing: ['outgoing', 'out', 'outbound', 'dialed', 'dialled', 'made', '発信', '2'],
  missed: ['missed', '不在着信', '不在', '3'],
  voicemail: ['voicemail', 'voice mail', '留守番電話', '留守電', '4'],
  rejected: ['rejected', 'declined', '拒否', '着信拒否', '5'],
  blocked: ['blocked', 'ブロック', 'ブロック済み', '6'],
};
for (const [type, list] of Object.entries(words) as [CallType, readonly string[]][]) for (const w of list) TYPE_WORDS[w] = type;

function typeOf(cell: string): CallType | undefined {
  const key = cell.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
  return TYPE_WORDS[key] ?? TYPE_WORDS[key.replace(/ call$/, '')];
}

function presentationOf(cell: string): CallPresentation | undefined {
  const key = cell.trim().toLowerCase();
  return PRESENTATIONS.find((p) => p === key) ?? PRESENTATIONS[Number(key) - 1];
}

/** The first line break of the text decides the newline (papaparse's guess trips on \r in names). */
function newlineOf(text: string): '\r\n' | '\n' | '\r' | undefined {
  const m = /\r\n|\n|\r/.exec(text);
  return m ? (m[0] as '\r\n' | '\n' | '\r') : undefined;
}

interface Row {
  cells: string[];
  line: number;
  /** The row ends inside an open quote (the file was cut). */
  unterminated: boolean;
}

const DELIMITERS = [',', '\t', ';'] as const;

/** The delimiter whose first rows hold the header recognising the most columns. */
function delimiterOf(text: string, newline: '\r\n' | '\n' | '\r' | undefined): string | undefined {
  let best: { delimiter: string; score: number } | undefined;
  for (const delimiter of DELIMITERS) {
    const preview = Papa.parse<string[]>(text, { header: false, delimiter, preview: 20, ...(newline ? { newline } : {}) });
    for (const row of preview.data) {
      const header = detectHeader(row);
      if (header) {
        const score = Object.keys(header).length;
        if (!best || score > best.score) best = { delimiter, score };
        break;
      }
    }
  }
  return best?.delimiter;
}

function readRows(text: string): Row[] | undefined {
  const newline = newlineOf(text);
  const delimiter = delimiterOf(text, newline);
  if (delimiter === undefined) return undefined;
  const parsed = Papa.parse<string[]>(text, {
    header: false,
    skipEmptyLines: false,
    delimiter,
    ...(newline ? { newline } : {}),
  });
  const open = new Set(parsed.errors.filter((e) => e.code === 'MissingQuotes').map((e) => e.row));
  // Lines: papaparse gives no positions without a step callback, so count the line breaks that
  // each row's cells hold (quoted newlines) plus the row's own break.
  const rows: Row[] = [];
  let line = 1;
  parsed.data.forEach((cells, i) => {
    rows.push({ cells, line, unterminated: open.has(i) });
    for (const c of cells) line += (c.match(/\r\n|\r|\n/g) ?? []).length;
    line += 1;
  });
  return rows;
}

export function parseCallCsv(text: string, timeZone: string): ParseResult<Call> {
  const errors: RecordError[] = [];
  let zone = timeZone;
  try {
    checkTimeZone(zone);
  } catch {
    errors.push({ code: 'bad-date', message: `unknown time zone "${timeZone}"; dates without a zone are read as UTC` });
    zone = 'UTC';
  }
  if (text.includes('\u0000')) return { records: [], errors: [{ code: 'unknown-format', line: 1, message: 'binary data, not a CSV' }] };
  const rows = readRows(text) ?? [];
  let header: Header | undefined;
  let first = 0;
  for (; first < Math.min(rows.length, 20) && !header; first++) header = detectHeader(rows[first]!.cells);
  if (!header) return { records: [], errors: [...errors, { code: 'unknown-format', line: 1, message: 'no call-log header row (number and date columns)' }] };
  const width = Math.max(...Object.values(header).map((i) => i ?? 0)) + 1;
  const records: Call[] = [];
  for (let r = first, item = 0; r < rows.length; r++) {
    const { cells, line, unterminated } = rows[r]!;
    if (cells.every((c) => c.trim() === '')) continue;
    const at = { line, item: item++ };
    const cell = (col: Column): string => {
      const i = header[col];
      return i === undefined ? '' : (cells[i] ?? '').trim();
    };
    // The last row of a file without a final line break that is short or unreadable was cut.
    const last = r === rows.length - 1 && !/[\r\n]$/.test(text);
    const fail = (code: RecordErrorCode, message: string) =>
      errors.push(last ? { code: 'truncated', ...at, message: `the file ends inside this row (${message})` } : { code, ...at, message });
    if (unterminated || (last && cells.length < width)) {
      errors.push({ code: 'truncated', ...at, message: 'the file ends inside this row' });
      continue;
    }
    const number = cell('number');
    const presentation = presentationOf(cell('presentation'));
    const dateText = cell('datetime') || [cell('date'), cell('time')].filter(Boolean).join(' ');
    if ((!number && (presentation ?? 'allowed') === 'allowed') || !dateText) {
      fail('missing-field', 'a row without number or date');
      continue;
    }
    const start = parseCallDate(dateText, zone);
    if (start === undefined || !Number.isFinite(start)) {
      fail('bad-date', `unreadable date "${dateText}"`);
      continue;
    }
    const type = typeOf(cell('type'));
    if (!type) {
      fail('malformed', `unknown call type "${cell('type')}"`);
      continue;
    }
    const durationSeconds = parseDuration(cell('duration'));
    if (durationSeconds === undefined) {
      fail('bad-number', `unreadable duration "${cell('duration')}"`);
      continue;
    }
    records.push(
      makeCall({
        number,
        name: cell('name'),
        type,
        start,
        durationSeconds,
        subscriptionId: cell('sim'),
        presentation,
        countryIso: cell('country'),
        postDialDigits: cell('postdial'),
      }),
    );
  }
  return { records, errors };
}
