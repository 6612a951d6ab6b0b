/**
 * The vCard line layer, hand-written for 2.1, 3.0 and 4.0 alike (ical.js reads neither 2.1 nor
 * CHARSET= and core may not import it): bytes to lines, cards, unfolded properties with their
 * parameters, and the value decodings (QUOTED-PRINTABLE with its charset, backslash escapes).
 */
import { decodeCharset } from './text.ts';

export interface VLine {
  readonly text: string;
  /** 1-based line of the input. */
  readonly line: number;
}

export interface VProperty {
  readonly group?: string;
  /** Upper-case name, e.g. TEL, X-ABLABEL. */
  readonly name: string;
  /** Upper-case parameter names to their values (TYPE split on commas, quotes dropped). */
  readonly params: ReadonlyMap<string, readonly string[]>;
  readonly value: string;
  readonly line: number;
}

export interface VCardBlock {
  /** Line of BEGIN:VCARD. */
  readonly line: number;
  readonly lines: VLine[];
  /** False when the input ended (or another BEGIN came) before END:VCARD. */
  readonly complete: boolean;
}

const isBegin = (s: string) => /^BEGIN\s*:\s*VCARD\s*$/i.test(s);
const isEnd = (s: string) => /^END\s*:\s*VCARD\s*$/i.test(s);

/** Splits text into physical lines (CRLF, LF or CR). */
function splitText(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}

const latin1 = (bytes: Uint8Array) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
};

/**
 * Physical lines of the input. Bytes that are not UTF-8 as a whole are decoded card by card: each
 * BEGIN..END span as UTF-8 when it is, else as Shift_JIS (feature phones), so a damaged card or
 * trailing junk never changes how the cards before it read.
 */
export function physicalLines(input: string | Uint8Array): string[] {
  if (typeof input === 'string') return splitText(input.replace(/^\uFEFF/, ''));
  let bytes = input;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  try {
    return splitText(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    // Split at byte level (CR and LF never occur inside a Shift_JIS or UTF-8 character).
    const raw: Uint8Array[] = [];
    let start = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (b === 0x0a || b === 0x0d) {
        raw.push(bytes.subarray(start, i));
        if (b === 0x0d && bytes[i + 1] === 0x0a) i++;
        start = i + 1;
      }
    }
    raw.push(bytes.subarray(start));
    const out: string[] = [];
    let i = 0;
    while (i < raw.length) {
      let j = i + 1;
      if (isBegin(latin1(raw[i]!))) {
        while (j < raw.length && !isBegin(latin1(raw[j]!))) {
          j++;
          if (isEnd(latin1(raw[j - 1]!))) break;
        }
      }
      const span = raw.slice(i, j);
      let charset = 'utf-8';
      try {
        for (const l of span) new TextDecoder('utf-8', { fatal: true }).decode(l);
      } catch {
        charset = 'shift_jis';
      }
      for (const l of span) out.push(new TextDecoder(charset).decode(l));
      i = j;
    }
    return out;
  }
}

/** Cards between BEGIN:VCARD and END:VCARD, plus whether anything but blank lines lay outside them. */
export function splitCards(lines: readonly string[]): { cards: VCardBlock[]; stray: number } {
  const cards: VCardBlock[] = [];
  let current: { line: number; lines: VLine[] } | undefined;
  let stray = 0;
  lines.forEach((text, index) => {
    const line = index + 1;
    if (isBegin(text)) {
      if (current) cards.push({ ...current, complete: false });
      current = { line, lines: [] };
    } else if (isEnd(text) && current) {
      cards.push({ ...current, complete: true });
      current = undefined;
    } else if (current) {
      current.lines.push({ text, line });
    } else if (text.trim() !== '') {
      stray++;
    }
  });
  if (current) cards.push({ ...current, complete: false });
  return { cards, stray };
}

const QP_HEAD = /^[^:]*QUOTED-PRINTABLE[^:]*:/i;
const B64_HEAD = /^[^:]*ENCODING=(?:B|BASE64)[;:]/i;

/**
 * Logical lines: a physical line starting with space or tab continues the previous one (that one
 * character dropped); a QUOTED-PRINTABLE value ending in `=` continues on the next line (soft break).
 */
export function unfold(lines: readonly VLine[]): VLine[] {
  const out: { text: string; line: number }[] = [];
  let qpSoft = false;
  for (const l of lines) {
    const last = out[out.length - 1];
    if (last && qpSoft) {
      last.text = last.text.slice(0, -1) + l.text;
    } else if (last && (l.text.startsWith(' ') || l.text.startsWith('\t'))) {
      last.text += l.text.slice(1);
    } else if (l.text === '') {
      continue;
    } else if (last && B64_HEAD.test(last.text) && /^[A-Za-z0-9+/=]+$/.test(l.text)) {
      last.text += l.text; // vCard 2.1 BASE64 continued on unindented lines, ended by a blank line
      continue;
    } else {
      out.push({ text: l.text, line: l.line });
    }
    const cur = out[out.length - 1]!;
    qpSoft = QP_HEAD.test(cur.text) && cur.text.endsWith('=');
  }
  return out;
}

const ENCODINGS = new Set(['QUOTED-PRINTABLE', 'BASE64', 'B', '8BIT', '7BIT']);

/** Splits `s` at `sep` outside double quotes. */
function splitOutsideQuotes(s: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of s) {
    if (ch === '"') quoted = !quoted;
    if (ch === sep && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

/** RFC 6868 caret decoding of a 4.0 parameter value. */
const caretDecode = (s: string) => s.replace(/\^(\^|n|')/g, (_m, c: string) => (c === 'n' ? '\n' : c === "'" ? '"' : '^'));

/** One logical line as a property, or undefined when it is not `name[;params]:value`. */
export function parseProperty(l: VLine, v4: boolean): VProperty | undefined {
  let colon = -1;
  let quoted = false;
  for (let i = 0; i < l.text.length; i++) {
    const ch = l.text[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === ':' && !quoted) {
      colon = i;
      break;
    }
  }
  if (colon <= 0) return undefined;
  const [head = '', ...rawParams] = splitOutsideQuotes(l.text.slice(0, colon), ';');
  const m = /^(?:([A-Za-z0-9-]+)\.)?([A-Za-z0-9-]+)$/.exec(head.trim());
  if (!m) return undefined;
  const params = new Map<string, string[]>();
  const add = (k: string, v: string) => params.set(k, [...(params.get(k) ?? []), v]);
  for (const p of rawParams) {
    const eq = p.indexOf('=');
    if (eq < 0) {
      const bare = p.trim().toUpperCase();
      if (bare === '') continue;
      add(ENCODINGS.has(bare) ? 'ENCODING' : 'TYPE', bare); // vCard 2.1: TEL;CELL;PREF
      continue;
    }
    const key = p.slice(0, eq).trim().toUpperCase();
    if (key === 'SORT-AS') {
      const unq = p.slice(eq + 1).trim().replace(/^"(.*)"$/s, '$1');
      add(key, v4 ? caretDecode(unq) : unq);
      continue;
    }
    for (const part of splitOutsideQuotes(p.slice(eq + 1), ',')) {
      const unq = part.trim().replace(/^"(.*)"$/s, '$1');
      const val = v4 ? caretDecode(unq) : unq;
      for (const t of key === 'TYPE' ? val.split(',') : [val]) add(key, t.trim());
    }
  }
  const group = m[1];
  return { ...(group ? { group: group.toLowerCase() } : {}), name: m[2]!.toUpperCase(), params, value: l.text.slice(colon + 1), line: l.line };
}

export class BadEncoding extends Error {}

/** QUOTED-PRINTABLE text to bytes; throws BadEncoding on `=` not followed by two hex digits. */
export function qpBytes(s: string): Uint8Array {
  const out: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '=') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new BadEncoding(`bad QUOTED-PRINTABLE at "${s.slice(i, i + 3)}"`);
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      const code = s.codePointAt(i)!;
      if (code < 0x80) out.push(code);
      else {
        out.push(...enc.encode(String.fromCodePoint(code)));
        if (code > 0xffff) i++;
      }
    }
  }
  return Uint8Array.from(out);
}

/** The property's value as text before unescaping: QUOTED-PRINTABLE decoded with its CHARSET. */
export function rawText(p: VProperty): string {
  const enc = p.params.get('ENCODING')?.[0]?.toUpperCase();
  if (enc !== 'QUOTED-PRINTABLE') return p.value;
  const charset = p.params.get('CHARSET')?.[0] ?? 'utf-8';
  let text: string;
  try {
    text = decodeCharset(qpBytes(p.value), charset);
  } catch (e) {
    if (e instanceof BadEncoding) throw e;
    throw new BadEncoding(`unknown CHARSET ${charset}`);
  }
  return text.replace(/\r\n|\r/g, '\n');
}

/** Unescapes `\\ \, \; \: \n \N` (Google writes `https\://`); other backslashes stay (vCard 2.1 rarely escapes). */
export const unescapeText = (s: string) => s.replace(/\\([\\,;:nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

/** Splits at unescaped `sep`, then unescapes each part. */
export function splitEscaped(s: string, sep: ';' | ','): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\' && i + 1 < s.length) {
      cur += ch + s[i + 1]!;
      i++;
    } else if (ch === sep) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map(unescapeText);
}

// ---- writing ----

export const escapeText = (s: string) => s.replace(/\\/g, '\\\\').replace(/\r\n|\r|\n/g, '\\n').replace(/,/g, '\\,').replace(/;/g, '\\;');

const enc = new TextEncoder();

/** Folds a content line at 75 octets (continuations start with a space), never inside a UTF-8 character. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let cur = '';
  let size = 0;
  let limit = 75;
  for (const ch of line) {
    const n = enc.encode(ch).length;
    if (size + n > limit) {
      out.push(cur);
      cur = ' ';
      size = 1;
      limit = 75;
    }
    cur += ch;
    size += n;
  }
  out.push(cur);
  return out.join('\r\n');
}
