/** fast-check arbitraries for contacts, shared by the parser and the record-set properties. */
import fc from 'fast-check';
import type { Contact, ContactDate } from '../../../src/core/records/contacts.ts';

const CHARS = ['a', 'Z', '0', ' ', 'あ', 'カ', '漢', 'ｱ', '、', ',', ';', ':', '\n', '\\', '"', '^', '=', '😀', 'é', '\t'];
export const text = fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 30 });
export const nonBlank = text.filter((s) => s.trim() !== '');
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const types = fc
  .uniqueArray(fc.constantFrom('cell', 'home', 'work', 'fax', 'main', 'pager', 'other', 'pref', 'text'), { maxLength: 3 })
  .map((t) => [...t.filter((x) => x !== 'pref'), ...t.filter((x) => x === 'pref')]);
const withOpt = <T extends object>(base: T, extra: Record<string, unknown>) =>
  Object.fromEntries(Object.entries({ ...base, ...extra }).filter(([, v]) => v !== undefined)) as T;
const value = fc.record({ value: nonBlank, types, label: opt(nonBlank) }).map(({ label, ...v }) => withOpt(v, { label }));
const date: fc.Arbitrary<ContactDate> = fc
  .record({ year: opt(fc.integer({ min: 1000, max: 2999 })), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) })
  .map(({ year, ...d }) => withOpt(d, { year }));

export const contact: fc.Arbitrary<Contact> = fc
  .record({
    uid: nonBlank,
    formattedName: nonBlank,
    name: opt(fc.record({ family: text, given: text, additional: text, prefix: text, suffix: text })),
    reading: opt(fc.record({ family: opt(nonBlank), given: opt(nonBlank) })),
    nickname: opt(nonBlank),
    organization: opt(text),
    department: opt(nonBlank),
    title: opt(text),
    phones: fc.array(value, { maxLength: 3 }),
    emails: fc.array(value, { maxLength: 2 }),
    addresses: fc.array(
      fc.record({ poBox: text, extended: text, street: text, locality: text, region: text, postalCode: text, country: text, types, label: opt(nonBlank) })
        .map(({ label, ...a }) => withOpt(a, { label })),
      { maxLength: 2 },
    ),
    urls: fc.array(value, { maxLength: 2 }),
    birthday: opt(date),
    anniversary: opt(date),
    note: opt(text),
    categories: fc.array(nonBlank, { maxLength: 3 }),
    photo: opt(
      fc.oneof(
        fc.record({ mediaType: fc.constantFrom('image/jpeg', 'image/png', 'image/gif'), base64: fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => Buffer.from(b).toString('base64')) }),
        fc.webUrl().map((url) => ({ url })),
      ),
    ),
    rev: opt(fc.date({ min: new Date(2000, 0, 1), max: new Date(2099, 0, 1), noInvalidDate: true }).map((d) => d.toISOString().replace(/[-:]|\.\d+/g, ''))),
  })
  .map(({ name, reading, organization, department, ...c }) => {
    const n = name && Object.values(name).some((s) => s !== '') ? name : undefined;
    const r = reading && (reading.family !== undefined || reading.given !== undefined) ? withOpt({}, reading) : undefined;
    return withOpt(c, { name: n, reading: r, organization, department: organization !== undefined ? department : undefined }) as Contact;
  });

