/**
 * Which calls the call log shows: by type, by date (from/to days read in the user's zone) and by a
 * search that matches a name (case and width folded) or a number by its digits. Numbers are
 * stored as exported, so the same line may be "+81 90-1234-5678" in one export and "09012345678"
 * in another; digits are also compared without the country code or the trunk 0, so either form
 * finds the other.
 */
import type { Call, CallType } from '../../../../core/records/calls-model.ts';
import { addDays, startOfDay, type Day } from '../calendar/month-grid.ts';

export interface CallFilter {
  readonly type: CallType | 'all';
  /** 'YYYY-MM-DD' or '' (no bound); both days are included. */
  readonly from: Day | '';
  readonly to: Day | '';
  readonly query: string;
}

export const NO_FILTER: CallFilter = { type: 'all', from: '', to: '', query: '' };

/** Folded for comparing text: full-width to half-width (NFKC), katakana to hiragana, lower case, single spaces. */
export function fold(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u30A1-\u30F6]/g, (k) => String.fromCharCode(k.charCodeAt(0) - 0x60))
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

// ITU-T E.164 country codes are prefix-free: 1 and 7 are one digit, these are two, the rest three.
const TWO_DIGIT_CODES = new Set([20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98].map(String));

/** The number without its country code ('+81…') or trunk prefix ('0…'): "+819012345678" and "09012345678" → "9012345678". */
export function nationalDigits(number: string): string {
  const s = number.normalize('NFKC').trim();
  const digits = s.replace(/[^0-9]/g, '');
  if (s.startsWith('+') || s.startsWith('00')) {
    const international = s.startsWith('00') ? digits.slice(2) : digits;
    const length = /^[17]/.test(international) ? 1 : TWO_DIGIT_CODES.has(international.slice(0, 2)) ? 2 : 3;
    return international.slice(length);
  }
  return digits.replace(/^0+/, '');
}

/** The digits a search asks for, when it reads as a number ("090 1234", "+81 90-1234"); undefined for a name. */
export function searchedNumber(query: string): { digits: string; national: string } | undefined {
  const s = query.normalize('NFKC').trim();
  if (!/^[+\d\s\-().]+$/.test(s) || !/\d/.test(s)) return undefined;
  return { digits: s.replace(/[^0-9]/g, ''), national: nationalDigits(s) };
}

export function matchesQuery(call: Call, query: string): boolean {
  const folded = fold(query);
  if (!folded) return true;
  if (call.name && fold(call.name).includes(folded)) return true;
  const wanted = searchedNumber(query);
  if (!wanted) return false;
  const digits = call.normalized.replace(/^\+/, '');
  if (digits.includes(wanted.digits)) return true;
  return wanted.national.length > 0 && nationalDigits(call.normalized).includes(wanted.national);
}

/** The calls that pass the filter, newest first. */
export function filterCalls(calls: readonly Call[], filter: CallFilter, zone: string): Call[] {
  const from = filter.from ? startOfDay(filter.from, zone) : -Infinity;
  const to = filter.to ? startOfDay(addDays(filter.to, 1), zone) : Infinity;
  return calls
    .filter((c) => (filter.type === 'all' || c.type === filter.type) && c.start >= from && c.start < to && matchesQuery(c, filter.query))
    .sort((a, b) => b.start - a.start || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
}

export function isFiltered(filter: CallFilter): boolean {
  return filter.type !== 'all' || filter.from !== '' || filter.to !== '' || fold(filter.query) !== '';
}
