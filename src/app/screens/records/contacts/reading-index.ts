/**
 * How the contacts list is ordered and indexed, the way Japanese address books do it: by how a
 * name is read (its furigana), in the rows of the kana table (あ か さ た な は ま や ら わ), then
 * Latin names under A–Z, then everything else under "#". Pure.
 *
 * A contact's sort reading is its reading (family + given) when it has one, else its name when
 * that is written in kana, else its formatted name. A kanji name without a reading cannot be
 * placed in a kana row (山田 may be やまだ or さんだ), so it goes to "#".
 */
import type { Contact } from '../../../../core/records/index.ts';

export const KANA_ROWS = ['あ', 'か', 'さ', 'た', 'な', 'は', 'ま', 'や', 'ら', 'わ'] as const;
export const LATIN_ROWS = Array.from({ length: 26 }, (_, i) => String.fromCharCode(65 + i));
export const OTHER_ROW = '#';
/** Every row in display order: あ…わ, A…Z, #. */
export const ROWS: readonly string[] = [...KANA_ROWS, ...LATIN_ROWS, OTHER_ROW];
const ROW_ORDER = new Map(ROWS.map((row, i) => [row, i]));

/** The first kana of each row; a base kana belongs to the last row starting at or before it. */
const ROW_STARTS = 'あかさたなはまやらわ';
/** Small kana to their full-size base (after katakana became hiragana). */
const SMALL: Record<string, string> = { ぁ: 'あ', ぃ: 'い', ぅ: 'う', ぇ: 'え', ぉ: 'お', っ: 'つ', ゃ: 'や', ゅ: 'ゆ', ょ: 'よ', ゎ: 'わ', ゕ: 'か', ゖ: 'け' };
/** Latin letters NFD does not take apart. */
const LATIN_EXTRA: Record<string, string> = { æ: 'A', ø: 'O', œ: 'O', ł: 'L', đ: 'D', ð: 'D', þ: 'T', ı: 'I', ß: 'S' };

/** NFKC (half-width ｻﾄｳ → サトウ, full-width Ａ → A), then katakana → hiragana (サトウ → さとう). */
export function foldKana(text: string): string {
  return text.normalize('NFKC').replace(/[\u30a1-\u30f6]/g, (k) => String.fromCharCode(k.charCodeAt(0) - 0x60));
}

const KANA = /^[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc-\u30fe\uff66-\uff9f\s・･＝=]+$/u;

/** True when the text is written in kana only (spaces and ・ allowed): a reading in itself. */
export function isKana(text: string): boolean {
  return KANA.test(text) && /[\u3041-\u3096\u30a1-\u30fa\uff66-\uff9d]/u.test(text);
}

/** What a contact is sorted by (see the header). */
export function sortReading(contact: Contact): string {
  const reading = `${contact.reading?.family ?? ''}${contact.reading?.given ?? ''}`.trim();
  if (reading) return reading;
  const name = `${contact.name?.family ?? ''}${contact.name?.given ?? ''}`.trim();
  if (name && isKana(name)) return name;
  return contact.formattedName.trim() || contact.organization?.trim() || '';
}

/** The row one character opens: a kana row, a Latin letter, or "#". */
export function rowOfChar(char: string): string {
  let c = foldKana(char).normalize('NFD').charAt(0); // が → か + ゛, ゔ → う + ゛, É → E + ´
  c = SMALL[c] ?? c;
  if (c >= '\u3041' && c <= '\u3096') {
    if (c === 'ゐ' || c === 'ゑ' || c === 'を' || c === 'ん') return 'わ';
    let row = 'あ';
    for (const start of ROW_STARTS) if (start <= c) row = start;
    return row;
  }
  const upper = LATIN_EXTRA[c.toLowerCase()] ?? c.toUpperCase();
  return upper >= 'A' && upper <= 'Z' ? upper : OTHER_ROW;
}

/** The row a sort reading goes in, from its first letter or digit (「」, spaces and the like are skipped). */
export function rowOf(reading: string): string {
  const first = foldKana(reading).match(/[\p{L}\p{N}]/u)?.[0];
  return first === undefined ? OTHER_ROW : rowOfChar(first);
}

export interface IndexedContact {
  readonly contact: Contact;
  readonly key: string;
  readonly row: string;
  /** Compared within a row: the reading in hiragana for kana rows, the reading as written otherwise. */
  readonly sortKey: string;
}

export function indexContact(contact: Contact, key: string): IndexedContact {
  const reading = sortReading(contact);
  const row = rowOf(reading);
  return { contact, key, row, sortKey: KANA_ROWS.includes(row as never) ? foldKana(reading) : reading.normalize('NFKC') };
}

// Japanese dictionary order for kana (voiced after unvoiced, small kana with their base), and a
// sensible order for Latin and kanji; numeric so "Room 2" comes before "Room 10".
const collator = new Intl.Collator('ja', { numeric: true });

/** Row order first, then the sort key, then the formatted name, then the key (a stable total order). */
export function compareIndexed(a: IndexedContact, b: IndexedContact): number {
  return (
    (ROW_ORDER.get(a.row) ?? ROWS.length) - (ROW_ORDER.get(b.row) ?? ROWS.length) ||
    collator.compare(a.sortKey, b.sortKey) ||
    collator.compare(a.contact.formattedName, b.contact.formattedName) ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}

export function sortContacts(entries: readonly IndexedContact[]): IndexedContact[] {
  return [...entries].sort(compareIndexed);
}

export type ListRow = { readonly kind: 'head'; readonly row: string } | { readonly kind: 'contact'; readonly entry: IndexedContact };

export interface ListLayout {
  /** A heading before each row's first contact, then its contacts. */
  readonly rows: readonly ListRow[];
  /** Each row present → the index of its heading in `rows`. */
  readonly heads: ReadonlyMap<string, number>;
}

/** The list's rows for contacts already in order (sortContacts). */
export function layoutRows(sorted: readonly IndexedContact[]): ListLayout {
  const rows: ListRow[] = [];
  const heads = new Map<string, number>();
  for (const entry of sorted) {
    if (!heads.has(entry.row)) {
      heads.set(entry.row, rows.length);
      rows.push({ kind: 'head', row: entry.row });
    }
    rows.push({ kind: 'contact', entry });
  }
  return { rows, heads };
}
