/**
 * The XML of Android's "SMS Backup & Restore": `<calls count=…><call number= duration= date= type= …/></calls>`.
 * A well-formed file is read with fast-xml-parser; a damaged one (truncated upload, cut backup) falls
 * back to scanning its complete `<call …/>` elements, so the calls before the damage are kept.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ParseResult, RecordError } from './result.ts';
import { makeCall, PRESENTATIONS, type Call, type CallType } from './calls-model.ts';

/** CallLog.Calls.TYPE; 7 (answered on another device) is an incoming call. */
const TYPE_CODES: Record<string, CallType> = {
  '1': 'incoming',
  '2': 'outgoing',
  '3': 'missed',
  '4': 'voicemail',
  '5': 'rejected',
  '6': 'blocked',
  '7': 'incoming',
};

type Attrs = Record<string, string | undefined>;

/** Start offsets of `<call` elements (not `<calls`), in document order. */
function callStarts(text: string): number[] {
  const starts: number[] = [];
  const re = /<call(?=[\s/>])/g;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index);
  return starts;
}

function lineCounter(text: string): (index: number) => number {
  let at = 0;
  let line = 1;
  return (index) => {
    if (index < at) {
      at = 0;
      line = 1;
    }
    for (; at < index; at++) if (text.charCodeAt(at) === 10) line++;
    return line;
  };
}

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);/gi, (whole, e: string) => {
    const lower = e.toLowerCase();
    if (lower === 'amp') return '&';
    if (lower === 'lt') return '<';
    if (lower === 'gt') return '>';
    if (lower === 'quot') return '"';
    if (lower === 'apos') return "'";
    const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
    // SMS Backup & Restore writes each UTF-16 half of an emoji as its own &#…; entity.
    if (code <= 0xffff) return String.fromCharCode(code);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function callFromAttrs(a: Attrs, item: number, line: number): Call | RecordError {
  const at = { item, line };
  const presentationCode = a.presentation?.trim();
  const presentation = presentationCode ? PRESENTATIONS[Number(presentationCode) - 1] : undefined;
  const number = (a.number ?? '').trim();
  if ((!number && (presentation ?? 'allowed') === 'allowed') || a.date === undefined || a.date.trim() === '')
    return { code: 'missing-field', ...at, message: 'a <call> without number or date' };
  if (!/^\d{1,15}$/.test(a.date.trim())) return { code: 'bad-date', ...at, message: `date "${a.date}" is not epoch milliseconds` };
  const type = TYPE_CODES[(a.type ?? '').trim()];
  if (!type) return { code: 'malformed', ...at, message: `unknown call type "${a.type ?? ''}"` };
  const duration = (a.duration ?? '0').trim() || '0';
  if (!/^\d+$/.test(duration)) return { code: 'bad-number', ...at, message: `duration "${duration}" is not seconds` };
  const name = (a.contact_name ?? '').trim();
  const sub = (a.subscription_id ?? '').trim();
  return makeCall({
    number,
    name: name === '(Unknown)' || name === 'null' ? undefined : name,
    type,
    start: Number(a.date.trim()),
    durationSeconds: Number(duration),
    subscriptionId: sub === '-1' || sub === 'null' ? undefined : sub,
    presentation,
    countryIso: (a.countryiso ?? a.country_iso ?? '').trim(),
    postDialDigits: (a.post_dial_digits ?? '').trim(),
  });
}

function collect(list: readonly Attrs[], starts: readonly number[], items: readonly number[] | undefined, lineOf: (i: number) => number, errors: RecordError[]): Call[] {
  const records: Call[] = [];
  list.forEach((a, i) => {
    const r = callFromAttrs(a, items?.[i] ?? i, lineOf(starts[i] ?? 0));
    if ('code' in r) errors.push(r);
    else records.push(r);
  });
  return records;
}

/**
 * SMS Backup & Restore writes each UTF-16 half of an emoji as its own numeric entity
 * (`&#55357;&#56832;`), which XML forbids; join the pairs into one code point, and make halves
 * without a partner U+FFFD.
 */
function joinSurrogateEntities(text: string): string {
  return text
    .replace(/&#(\d{5});&#(\d{5});/g, (whole, hi: string, lo: string) => {
      const h = Number(hi), l = Number(lo);
      if (h < 0xd800 || h > 0xdbff || l < 0xdc00 || l > 0xdfff) return whole;
      return `&#${(h - 0xd800) * 0x400 + (l - 0xdc00) + 0x10000};`;
    })
    .replace(/&#(\d{5});/g, (whole, n: string) => (Number(n) >= 0xd800 && Number(n) <= 0xdfff ? '&#65533;' : whole));
}

export function parseCallXml(raw: string): ParseResult<Call> {
  const text = joinSurrogateEntities(raw);
  const starts = callStarts(text);
  const lineOf = lineCounter(text);
  const errors: RecordError[] = [];
  const valid = XMLValidator.validate(text);
  if (valid === true) {
    try {
      const doc = new XMLParser({
        ignoreAttributes: false,
        attributeNamePrefix: '',
        processEntities: true,
        htmlEntities: true,
        parseAttributeValue: false,
        parseTagValue: false,
        isArray: (name) => name === 'call',
      }).parse(text) as { calls?: { call?: unknown } | string };
      const calls = doc.calls;
      if (calls !== undefined) {
        const list = typeof calls === 'object' && Array.isArray(calls.call) ? (calls.call as Attrs[]) : [];
        if (list.length === starts.length) return { records: collect(list, starts, undefined, lineOf, errors), errors };
      }
    } catch {
      // fall back to the scanner below
    }
  }
  return scanCalls(text, starts, lineOf, valid === true ? undefined : valid.err);
}

const ELEMENT = /<call((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*\/>/y;
const ATTR = /([\w:.-]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/g;

/** Complete `<call …/>` elements one by one; the damage is reported where it is. */
function scanCalls(text: string, starts: readonly number[], lineOf: (i: number) => number, err?: { msg: string; line: number }): ParseResult<Call> {
  const errors: RecordError[] = [];
  const list: Attrs[] = [];
  const good: number[] = [];
  const goodItems: number[] = [];
  let damaged = false;
  starts.forEach((start, item) => {
    ELEMENT.lastIndex = start;
    const m = ELEMENT.exec(text);
    if (m) {
      const a: Attrs = {};
      for (const [, key, dq, sq] of (m[1] ?? '').matchAll(ATTR)) if (key) a[key] = decodeEntities(dq ?? sq ?? '');
      list.push(a);
      good.push(start);
      goodItems.push(item);
      return;
    }
    damaged = true;
    const rest = text.slice(start);
    const truncated = !/\/>/.test(rest) || !/<\/calls\s*>/.test(rest);
    errors.push({
      code: truncated && item === starts.length - 1 ? 'truncated' : 'malformed',
      item,
      line: lineOf(start),
      message: truncated && item === starts.length - 1 ? 'the file ends inside a <call> element' : 'a <call> element that is not well-formed',
    });
  });
  const records = collect(list, good, goodItems, lineOf, errors);
  if (!damaged) {
    const closed = /<\/calls\s*>\s*$/.test(text) || /<calls\b[^>]*\/>/.test(text);
    errors.push({
      code: closed ? 'malformed' : 'truncated',
      line: err?.line ?? lineOf(text.length),
      message: closed ? `XML not well-formed: ${err?.msg ?? 'unexpected structure'}` : 'the file ends before </calls>',
    });
  }
  errors.sort((x, y) => (x.line ?? 0) - (y.line ?? 0));
  return { records, errors };
}
