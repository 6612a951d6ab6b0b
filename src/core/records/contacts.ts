/**
 * Contacts (issue 6): the record Kura keeps from a vCard export, its stable uid, and the vCard
 * 3.0 / 4.0 writer. The parser is in contacts-parse.ts; the line layer in vcard-lines.ts.
 */
import { escapeText, foldLine } from './vcard-lines.ts';
import { fnv1a64 } from './hash.ts';

export interface ContactName {
  readonly family: string;
  readonly given: string;
  readonly additional: string;
  readonly prefix: string;
  readonly suffix: string;
}

/** How the name is read (furigana): X-PHONETIC-*, SOUND;X-IRMC-N (2.1) or 4.0 N;SORT-AS. */
export interface ContactReading {
  readonly family?: string;
  readonly given?: string;
}

/** A phone, email or URL. `types` lower-case (cell, home, work, fax, main, pager, other, pref, ...); `label` from itemN.X-ABLabel. */
export interface ContactValue {
  readonly value: string;
  readonly types: readonly string[];
  readonly label?: string;
}

export interface ContactAddress {
  readonly poBox: string;
  readonly extended: string;
  readonly street: string;
  readonly locality: string;
  readonly region: string;
  readonly postalCode: string;
  readonly country: string;
  readonly types: readonly string[];
  readonly label?: string;
}

/** A date whose year may be unknown (`--0315`). */
export interface ContactDate {
  readonly year?: number;
  readonly month: number;
  readonly day: number;
}

export type ContactPhoto = { readonly mediaType: string; readonly base64: string } | { readonly url: string };

export interface Contact {
  /** The vCard's UID, else `vcard-` + FNV-1a 64-bit hex of the identity (see contactUid). */
  readonly uid: string;
  /** FN; when the card has none (feature phones), made from N. */
  readonly formattedName: string;
  readonly name?: ContactName;
  readonly reading?: ContactReading;
  readonly nickname?: string;
  readonly organization?: string;
  readonly department?: string;
  readonly title?: string;
  readonly phones: readonly ContactValue[];
  readonly emails: readonly ContactValue[];
  readonly addresses: readonly ContactAddress[];
  readonly urls: readonly ContactValue[];
  readonly birthday?: ContactDate;
  readonly anniversary?: ContactDate;
  readonly note?: string;
  readonly categories: readonly string[];
  readonly photo?: ContactPhoto;
  /** REV as written (e.g. 2024-01-05T10:00:00Z). */
  readonly rev?: string;
}

export { fnv1a64 } from './hash.ts';

/**
 * A uid for a card without UID: `vcard-` + FNV-1a 64 of the canonical JSON of its identity
 * (formatted name, structured name, phone and email values, birthday), so the same contact exported
 * twice gets the same uid.
 */
export function contactUid(c: Omit<Contact, 'uid'>): string {
  const n = c.name;
  const identity = [
    c.formattedName,
    n ? [n.family, n.given, n.additional, n.prefix, n.suffix] : null,
    c.phones.map((p) => p.value.replace(/[\s()-]/g, '')),
    c.emails.map((e) => e.value.toLowerCase()),
    c.birthday ? [c.birthday.year ?? null, c.birthday.month, c.birthday.day] : null,
  ];
  return `vcard-${fnv1a64(JSON.stringify(identity))}`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function dateValue(d: ContactDate, version: '3.0' | '4.0'): { params: string; value: string } {
  if (d.year !== undefined) return { params: '', value: `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}` };
  // 3.0 has no year-less date: iPhone's convention; 4.0 writes --MMDD.
  if (version === '3.0') return { params: ';X-APPLE-OMIT-YEAR=1604', value: `1604-${pad(d.month)}-${pad(d.day)}` };
  return { params: '', value: `--${pad(d.month)}${pad(d.day)}` };
}

/** RFC 6868 caret encoding for a quoted 4.0 parameter value. */
const caret = (s: string) => s.replace(/\^/g, '^^').replace(/\r\n|\r|\n/g, '^n').replace(/"/g, "^'");

function typeParam(types: readonly string[], version: '3.0' | '4.0'): string {
  const clean = types.filter((t) => /^[A-Za-z0-9-]+$/.test(t));
  if (version === '4.0') {
    const pref = clean.includes('pref') ? ';PREF=1' : '';
    const rest = clean.filter((t) => t !== 'pref');
    return (rest.length ? `;TYPE=${rest.join(',')}` : '') + pref;
  }
  return clean.length ? `;TYPE=${clean.map((t) => t.toUpperCase()).join(',')}` : '';
}

/** Contacts as vCard 3.0 or 4.0: CRLF, folded at 75 octets, text escaped, labels as itemN.X-ABLabel. */
export function toVCard(contacts: readonly Contact[], options: { version: '3.0' | '4.0' }): string {
  const v = options.version;
  const out: string[] = [];
  for (const c of contacts) {
    const lines: string[] = ['BEGIN:VCARD', `VERSION:${v}`];
    let item = 0;
    const labelled = (prop: string, label: string | undefined) => {
      if (label === undefined) return [prop];
      item++;
      return [`item${item}.${prop}`, `item${item}.X-ABLabel:${escapeText(label)}`];
    };
    lines.push(`UID:${escapeText(c.uid)}`, `FN:${escapeText(c.formattedName)}`);
    const n = c.name ?? { family: '', given: '', additional: '', prefix: '', suffix: '' };
    const nValue = [n.family, n.given, n.additional, n.prefix, n.suffix].map(escapeText).join(';');
    const r = c.reading;
    const sortAs = v === '4.0' && r && (r.family !== undefined || r.given !== undefined) ? `;SORT-AS="${caret(r.family ?? '')},${caret(r.given ?? '')}"` : '';
    lines.push(`N${sortAs}:${nValue}`);
    if (r?.family !== undefined) lines.push(`X-PHONETIC-LAST-NAME:${escapeText(r.family)}`);
    if (r?.given !== undefined) lines.push(`X-PHONETIC-FIRST-NAME:${escapeText(r.given)}`);
    if (c.nickname !== undefined) lines.push(`NICKNAME:${escapeText(c.nickname)}`);
    if (c.organization !== undefined || c.department !== undefined) {
      lines.push(`ORG:${escapeText(c.organization ?? '')}${c.department !== undefined ? `;${escapeText(c.department)}` : ''}`);
    }
    if (c.title !== undefined) lines.push(`TITLE:${escapeText(c.title)}`);
    for (const p of c.phones) lines.push(...labelled(`TEL${typeParam(p.types, v)}:${escapeText(p.value)}`, p.label));
    for (const e of c.emails) lines.push(...labelled(`EMAIL${typeParam(e.types, v)}:${escapeText(e.value)}`, e.label));
    for (const a of c.addresses) {
      const adr = [a.poBox, a.extended, a.street, a.locality, a.region, a.postalCode, a.country].map(escapeText).join(';');
      lines.push(...labelled(`ADR${typeParam(a.types, v)}:${adr}`, a.label));
    }
    for (const u of c.urls) lines.push(...labelled(`URL${typeParam(u.types, v)}:${escapeText(u.value)}`, u.label));
    if (c.birthday) {
      const d = dateValue(c.birthday, v);
      lines.push(`BDAY${d.params}:${d.value}`);
    }
    if (c.anniversary) {
      const d = dateValue(c.anniversary, v);
      lines.push(`${v === '4.0' ? 'ANNIVERSARY' : 'X-ANNIVERSARY'}${d.params}:${d.value}`);
    }
    if (c.note !== undefined) lines.push(`NOTE:${escapeText(c.note)}`);
    if (c.categories.length) lines.push(`CATEGORIES:${c.categories.map(escapeText).join(',')}`);
    if (c.photo) {
      if ('url' in c.photo) lines.push(v === '4.0' ? `PHOTO:${c.photo.url}` : `PHOTO;VALUE=uri:${c.photo.url}`);
      else if (v === '4.0') lines.push(`PHOTO:data:${c.photo.mediaType};base64,${c.photo.base64}`);
      else lines.push(`PHOTO;ENCODING=b;TYPE=${(c.photo.mediaType.split('/')[1] ?? c.photo.mediaType).toUpperCase()}:${c.photo.base64}`);
    }
    if (c.rev !== undefined) lines.push(`REV:${c.rev}`);
    lines.push('END:VCARD');
    out.push(...lines.map(foldLine));
  }
  return out.length ? out.join('\r\n') + '\r\n' : '';
}
