/**
 * How a contact's fields read on screen: its name line, the phone or email shown under it, the
 * label of a phone/email/address/URL (the common ones translated, the user's own as written), an
 * address in its country's order, a date whose year may be missing. Pure; the language is an
 * argument and the catalogue keys are returned, not looked up.
 */
import type { Language } from '../../../../client/app-api.ts';
import type { Contact, ContactAddress, ContactDate, ContactValue } from '../../../../core/records/index.ts';

/** The name to show: the formatted name, else the company, else the first email or phone. */
export function displayName(contact: Contact): string {
  return contact.formattedName.trim() || contact.organization?.trim() || contact.emails[0]?.value || contact.phones[0]?.value || '';
}

/** The reading shown small under the name, when there is one and it says something the name does not. */
export function readingLine(contact: Contact): string | undefined {
  const r = contact.reading;
  const reading = [r?.family, r?.given].filter((s) => s?.trim()).join(' ');
  return reading && reading.replace(/\s/g, '') !== contact.formattedName.replace(/\s/g, '') ? reading : undefined;
}

/** The first phone, else the first email: what the list shows under a name. */
export function firstReach(contact: Contact): string | undefined {
  return contact.phones[0]?.value ?? contact.emails[0]?.value;
}

/** One line for a contact's state (the history panel): name · first phone or email. */
export function describeContact(contact: Contact): string {
  const reach = firstReach(contact);
  return reach ? `${displayName(contact)} · ${reach}` : displayName(contact);
}

/** A label the catalogue knows (contacts.label.<key>), or the user's own words. */
export type FieldLabel = { readonly key: string } | { readonly text: string };

/** Labels and types people's phones write, folded (lower case, no spaces or punctuation) → catalogue key. */
const KNOWN: Record<string, string> = {
  cell: 'mobile',
  mobile: 'mobile',
  携帯: 'mobile',
  iphone: 'iphone',
  home: 'home',
  work: 'work',
  main: 'main',
  other: 'other',
  fax: 'fax',
  homefax: 'homeFax',
  workfax: 'workFax',
  otherfax: 'fax',
  pager: 'pager',
  homepage: 'homepage',
  school: 'school',
};

/** Types that say nothing a person needs to read. */
const QUIET = new Set(['pref', 'voice', 'internet', 'x400', 'msg', 'text', 'postal', 'parcel', 'dom', 'intl']);

export function fieldLabel(value: Pick<ContactValue, 'types' | 'label'>, kind: 'phone' | 'email' | 'address' | 'url'): FieldLabel {
  if (value.label !== undefined && value.label.trim()) {
    const known = KNOWN[value.label.toLowerCase().replace(/[\s_-]/g, '')];
    return known ? { key: known } : { text: value.label };
  }
  const types = value.types.map((t) => t.toLowerCase()).filter((t) => !QUIET.has(t));
  if (types.includes('fax')) return { key: types.includes('home') ? 'homeFax' : types.includes('work') ? 'workFax' : 'fax' };
  for (const t of ['iphone', 'cell', 'main', 'pager', 'home', 'work', 'other']) if (types.includes(t)) return { key: KNOWN[t]! };
  return { key: kind };
}

/** Where a URL can be a link: web pages only (never javascript: or a file on this device). */
export function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

const JAPAN = /^(日本|japan|jp|jpn|nihon|nippon)$/i;
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/u;

/** An address's lines: Japanese order (〒 postcode, prefecture, city, street) for Japan, Western otherwise. */
export function addressLines(a: ContactAddress): string[] {
  const japanese = JAPAN.test(a.country.trim()) || (!a.country.trim() && JAPANESE.test(`${a.region}${a.locality}${a.street}`));
  const clean = (lines: string[]) => lines.map((l) => l.trim()).filter(Boolean);
  if (japanese) {
    return clean([a.postalCode ? `〒${a.postalCode.replace(/^〒/, '')}` : '', `${a.region}${a.locality}${a.street}`, a.extended, a.poBox, JAPAN.test(a.country.trim()) ? '' : a.country]);
  }
  return clean([a.poBox, a.street, a.extended, [a.locality, a.region, a.postalCode].filter((s) => s.trim()).join(' '), a.country]);
}

/** "15 March 1990" or, without a year, "15 March" (3月15日), in the user's language. */
export function formatContactDate(date: ContactDate, language: Language): string {
  // A leap year stands in for a missing one, so 29 February can be shown.
  const at = Date.UTC(date.year ?? 2000, date.month - 1, date.day);
  const options: Intl.DateTimeFormatOptions = { month: 'long', day: 'numeric', timeZone: 'UTC', ...(date.year !== undefined ? { year: 'numeric' } : {}) };
  return new Intl.DateTimeFormat(language, options).format(at);
}

/** A photo the contact carries in itself, as a Blob (remote photo URLs are never fetched). */
export function photoBlob(contact: Contact): Blob | undefined {
  const photo = contact.photo;
  if (!photo || !('base64' in photo)) return undefined;
  try {
    const binary = atob(photo.base64.replace(/\s/g, ''));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new Blob([bytes], { type: photo.mediaType.startsWith('image/') ? photo.mediaType : 'image/jpeg' });
  } catch {
    return undefined; // damaged base64: the contact shows its initial instead
  }
}

/** The letter shown where there is no photo. */
export function initial(contact: Contact): string {
  return [...displayName(contact).trim()][0]?.toUpperCase() ?? '';
}
