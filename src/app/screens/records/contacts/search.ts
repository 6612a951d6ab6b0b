/**
 * Finding a contact by what a person remembers of it: part of the name or nickname or company, the
 * reading (in hiragana or katakana, full or half width), part of a phone number (digits only, so
 * "090-1234" finds "+81 90-1234-5678"), or part of an email address. Pure.
 *
 * Each contact is folded once into a `SearchEntry` (the list can hold thousands); a query is then
 * a few substring tests per contact.
 */
import type { Contact } from '../../../../core/records/index.ts';
import { foldKana, sortReading } from './reading-index.ts';

export interface SearchEntry {
  /** Names, readings and emails folded (fold()), separated by a character no query holds. */
  readonly text: string;
  /** Each phone's digits, and for a +81 number its domestic form too (0 + the rest). */
  readonly phones: readonly string[];
}

/** Case-, width- and kana-insensitive, without spaces: "ヤマダ　タロウ" and "やまだたろう" fold alike. */
export function fold(text: string): string {
  return foldKana(text).toLowerCase().replace(/\s+/g, '');
}

/** The digits of a phone number (full-width digits folded), with its domestic form for Japan. */
export function phoneDigits(value: string): string[] {
  const normalized = value.normalize('NFKC');
  const digits = normalized.replace(/\D/g, '');
  if (!digits) return [];
  // "+81 90…" is dialled "090…" in Japan; people type either.
  if (/^\s*\+\s*81/.test(normalized) || /^\s*0{2,3}81/.test(normalized)) return [digits, `0${digits.replace(/^0*81/, '')}`];
  return [digits];
}

export function searchEntry(contact: Contact): SearchEntry {
  const n = contact.name;
  const r = contact.reading;
  const parts = [
    contact.formattedName,
    n ? `${n.family}${n.given}` : '',
    n ? `${n.given}${n.family}` : '',
    n?.additional ?? '',
    r ? `${r.family ?? ''}${r.given ?? ''}` : '',
    r ? `${r.given ?? ''}${r.family ?? ''}` : '',
    sortReading(contact),
    contact.nickname ?? '',
    contact.organization ?? '',
    ...contact.emails.map((e) => e.value),
  ];
  return { text: parts.filter(Boolean).map(fold).join('\u0000'), phones: contact.phones.flatMap((p) => phoneDigits(p.value)) };
}

/** A query of only digits and what phone numbers are written with: "090-1234", "(03) 1234", "+81 90". */
const PHONE_LIKE = /^[\d\s()+\-.‐－ー−]+$/u;

/**
 * True when the contact matches every word of the query (a word matching the name, reading,
 * email or, if it has digits, a phone), or when the whole query is a phone number it holds.
 */
export function matches(entry: SearchEntry, query: string): boolean {
  const whole = query.normalize('NFKC').trim();
  if (!whole) return true;
  if (PHONE_LIKE.test(whole) && /\d/.test(whole) && phoneMatch(entry, whole)) return true;
  return whole.split(/\s+/).every((word) => entry.text.includes(fold(word)) || (/\d/.test(word) && phoneMatch(entry, word)));
}

function phoneMatch(entry: SearchEntry, query: string): boolean {
  const wanted = phoneDigits(query);
  return wanted.length > 0 && entry.phones.some((digits) => wanted.some((w) => digits.includes(w)));
}
