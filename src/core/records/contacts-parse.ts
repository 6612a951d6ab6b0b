/**
 * parseContacts: vCard 2.1 / 3.0 / 4.0 from iPhone, Android, Google, Outlook and Japanese feature
 * phones into Contact records. Never throws: a damaged card becomes an error and the others stay.
 */
import type { Contact, ContactAddress, ContactDate, ContactName, ContactPhoto, ContactReading, ContactValue } from './contacts.ts';
import { contactUid } from './contacts.ts';
import type { ParseResult, RecordError } from './result.ts';
import { BadEncoding, parseProperty, physicalLines, rawText, splitCards, splitEscaped, unescapeText, unfold, type VProperty } from './vcard-lines.ts';

/** Types that say nothing (every TEL is a voice line, every EMAIL internet). */
const NOISE = new Set(['voice', 'internet', 'x400', 'x-x400']);

function typesOf(p: VProperty): string[] {
  const out: string[] = [];
  for (const t of p.params.get('TYPE') ?? []) {
    const l = t.toLowerCase();
    if (l && !NOISE.has(l) && !out.includes(l)) out.push(l);
  }
  if (p.params.has('PREF') && !out.includes('pref')) out.push('pref');
  return out;
}

/** iPhone's built-in labels are `_$!<Mobile>!$_`; custom labels are plain. */
const cleanLabel = (s: string) => s.replace(/^_\$!<(.*)>!\$_$/s, '$1');

function parseDate(s: string, omitYear: string | undefined): ContactDate | undefined {
  const t = s.trim();
  let m = /^--(\d{2})-?(\d{2})$/.exec(t);
  let year: number | undefined;
  let month: number;
  let day: number;
  if (m) {
    month = +m[1]!;
    day = +m[2]!;
  } else {
    m = /^(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?$/.exec(t);
    if (!m) return undefined;
    year = +m[1]!;
    month = +m[2]!;
    day = +m[3]!;
    if (omitYear !== undefined && m[1] === omitYear) year = undefined;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return year === undefined ? { month, day } : { year, month, day };
}

function photoOf(p: VProperty): ContactPhoto | undefined {
  const value = p.value.trim();
  const enc = p.params.get('ENCODING')?.[0]?.toUpperCase();
  if (enc === 'B' || enc === 'BASE64') {
    const t = p.params.get('TYPE')?.[0] ?? p.params.get('MEDIATYPE')?.[0] ?? 'jpeg';
    const mediaType = t.includes('/') ? t.toLowerCase() : `image/${t.toLowerCase()}`;
    return { mediaType, base64: value.replace(/\s+/g, '') };
  }
  const data = /^data:([^;,]*)(;base64)?,(.*)$/is.exec(value);
  if (data) {
    if (!data[2]) return undefined;
    return { mediaType: (data[1] || 'application/octet-stream').toLowerCase(), base64: data[3]!.replace(/\s+/g, '') };
  }
  return value ? { url: value } : undefined;
}

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/;

function nameToFn(n: ContactName): string {
  if (CJK.test(n.family + n.given)) return [n.family, n.given].filter(Boolean).join(' ');
  return [n.prefix, n.given, n.additional, n.family, n.suffix].filter(Boolean).join(' ');
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** One card's properties to a Contact, or an error code and message. */
function readCard(props: VProperty[], errors: RecordError[], item: number): Contact | { code: 'missing-field'; message: string } {
  const labels = new Map<string, string>();
  const text = (p: VProperty): string | undefined => {
    try {
      return rawText(p);
    } catch (e) {
      errors.push({ code: 'bad-encoding', line: p.line, item, message: e instanceof Error ? e.message : String(e) });
      return undefined;
    }
  };
  for (const p of props) {
    if (p.name === 'X-ABLABEL' && p.group) {
      const t = text(p);
      if (t !== undefined) labels.set(p.group, cleanLabel(unescapeText(t)));
    }
  }
  const labelOf = (p: VProperty) => (p.group !== undefined ? labels.get(p.group) : undefined);
  const withLabel = <T extends object>(base: T, p: VProperty): T & { label?: string } => {
    const l = labelOf(p);
    return l === undefined ? base : { ...base, label: l };
  };

  const c: Partial<Mutable<Contact>> = {};
  const phones: ContactValue[] = [];
  const emails: ContactValue[] = [];
  const urls: ContactValue[] = [];
  const addresses: ContactAddress[] = [];
  const categories: string[] = [];
  let uid: string | undefined;
  let phonetic: { family?: string; given?: string } = {};
  let sound: ContactReading | undefined;
  let sortAs: ContactReading | undefined;
  const reading = (f: string | undefined, g: string | undefined): ContactReading | undefined => {
    const r: { family?: string; given?: string } = {};
    if (f) r.family = f;
    if (g) r.given = g;
    return r.family !== undefined || r.given !== undefined ? r : undefined;
  };

  for (const p of props) {
    if (p.name === 'PHOTO') {
      const ph = photoOf(p);
      if (ph) c.photo = ph;
      continue;
    }
    const raw = text(p);
    if (raw === undefined) continue;
    const single = () => unescapeText(raw);
    switch (p.name) {
      case 'UID':
        if (raw.trim()) uid = single();
        break;
      case 'FN':
        if (raw.trim()) c.formattedName = single();
        break;
      case 'N': {
        const [family = '', given = '', additional = '', prefix = '', suffix = ''] = splitEscaped(raw, ';');
        if ([family, given, additional, prefix, suffix].some((s) => s !== '')) c.name = { family, given, additional, prefix, suffix };
        const sa = p.params.get('SORT-AS')?.[0];
        if (sa !== undefined) {
          const [f, g] = sa.split(',');
          sortAs = reading(f, g);
        }
        break;
      }
      case 'X-PHONETIC-LAST-NAME':
        if (raw) phonetic = { ...phonetic, family: single() };
        break;
      case 'X-PHONETIC-FIRST-NAME':
        if (raw) phonetic = { ...phonetic, given: single() };
        break;
      case 'SOUND':
        if ((p.params.get('TYPE') ?? []).some((t) => t.toUpperCase() === 'X-IRMC-N')) {
          const [f, g] = splitEscaped(raw, ';');
          sound = reading(f, g);
        }
        break;
      case 'NICKNAME':
        if (raw) c.nickname = single();
        break;
      case 'ORG': {
        const [org = '', ...dept] = splitEscaped(raw, ';');
        while (dept.length && dept[dept.length - 1] === '') dept.pop(); // iPhone: ORG:Co;Dept;
        c.organization = org;
        if (dept.length) c.department = dept.join(';');
        break;
      }
      case 'TITLE':
        c.title = single();
        break;
      case 'TEL':
        if (raw.trim()) phones.push(withLabel({ value: single(), types: typesOf(p) }, p));
        break;
      case 'EMAIL':
        if (raw.trim()) emails.push(withLabel({ value: single(), types: typesOf(p) }, p));
        break;
      case 'URL':
        if (raw.trim()) urls.push(withLabel({ value: single(), types: typesOf(p) }, p));
        break;
      case 'ADR': {
        const [poBox = '', extended = '', street = '', locality = '', region = '', postalCode = '', country = ''] = splitEscaped(raw, ';');
        addresses.push(withLabel({ poBox, extended, street, locality, region, postalCode, country, types: typesOf(p) }, p));
        break;
      }
      case 'BDAY':
      case 'ANNIVERSARY':
      case 'X-ANNIVERSARY':
      case 'X-ABDATE': {
        if (p.name === 'X-ABDATE' && labelOf(p)?.toLowerCase() !== 'anniversary') break;
        const d = parseDate(raw, p.params.get('X-APPLE-OMIT-YEAR')?.[0]);
        if (!d) errors.push({ code: 'bad-date', line: p.line, item, message: `${p.name} "${raw}" is not a date` });
        else if (p.name === 'BDAY') c.birthday = d;
        else c.anniversary = d;
        break;
      }
      case 'NOTE':
        c.note = single();
        break;
      case 'CATEGORIES':
        for (const cat of splitEscaped(raw, ',')) if (cat.trim()) categories.push(cat);
        break;
      case 'REV':
        if (raw.trim()) c.rev = raw.trim();
        break;
    }
  }
  const r = reading(phonetic.family, phonetic.given) ?? sound ?? sortAs;
  if (r) c.reading = r;
  const fn = c.formattedName ?? (c.name ? nameToFn(c.name) : undefined);
  if (fn === undefined || fn === '') return { code: 'missing-field', message: 'vCard has neither FN nor N' };
  const { formattedName: _f, ...rest } = c;
  const body = { formattedName: fn, ...rest, phones, emails, addresses, urls, categories };
  return { uid: uid ?? contactUid(body), ...body };
}

/** vCards (2.1, 3.0, 4.0; UTF-8, Shift_JIS or per-property CHARSET) to contacts. */
export function parseContacts(input: string | Uint8Array): ParseResult<Contact> {
  const records: Contact[] = [];
  const errors: RecordError[] = [];
  let lines: string[];
  try {
    lines = physicalLines(input);
  } catch (e) {
    return { records, errors: [{ code: 'bad-encoding', message: e instanceof Error ? e.message : String(e) }] };
  }
  const { cards, stray } = splitCards(lines);
  if (cards.length === 0) {
    if (stray > 0) errors.push({ code: 'unknown-format', line: 1, message: 'no BEGIN:VCARD in the input' });
    return { records, errors };
  }
  cards.forEach((card, item) => {
    try {
      if (!card.complete) {
        errors.push({ code: 'truncated', line: card.line, item, message: 'BEGIN:VCARD without END:VCARD' });
        return;
      }
      const logical = unfold(card.lines);
      const versionLine = logical.find((l) => /^VERSION\s*:/i.test(l.text));
      const version = versionLine?.text.replace(/^VERSION\s*:/i, '').trim() ?? '3.0';
      if (!['2.1', '3.0', '4.0'].includes(version)) {
        errors.push({ code: 'unsupported', line: card.line, item, message: `vCard version ${version}` });
        return;
      }
      const props: VProperty[] = [];
      for (const l of logical) {
        const p = parseProperty(l, version === '4.0');
        if (p) props.push(p);
        else errors.push({ code: 'malformed', line: l.line, item, message: 'line is not a property' });
      }
      const result = readCard(props, errors, item);
      if ('code' in result) errors.push({ ...result, line: card.line, item });
      else records.push(result);
    } catch (e) {
      errors.push({ code: e instanceof BadEncoding ? 'bad-encoding' : 'malformed', line: card.line, item, message: e instanceof Error ? e.message : String(e) });
    }
  });
  return { records, errors };
}
