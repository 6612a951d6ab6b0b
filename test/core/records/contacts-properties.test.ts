import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseContacts } from '../../../src/core/records/contacts-parse.ts';
import { toVCard, type Contact, type ContactDate } from '../../../src/core/records/contacts.ts';

const CHARS = ['a', 'Z', '0', ' ', 'あ', 'カ', '漢', 'ｱ', '、', ',', ';', ':', '\n', '\\', '"', '^', '=', '😀', 'é', '\t'];
const text = fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 30 });
const nonBlank = text.filter((s) => s.trim() !== '');
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

const contact: fc.Arbitrary<Contact> = fc
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

describe('contacts properties', () => {
  test.each(['3.0', '4.0'] as const)('random contacts survive toVCard %s → parseContacts', (version) => {
    fc.assert(
      fc.property(fc.array(contact, { maxLength: 4 }), (cs) => {
        const out = toVCard(cs, { version });
        for (const l of out.split('\r\n')) expect(new TextEncoder().encode(l).length).toBeLessThanOrEqual(75);
        const parsed = parseContacts(out);
        expect(parsed.errors).toEqual([]);
        expect(parsed.records).toEqual(cs);
        expect(parseContacts(new TextEncoder().encode(out)).records).toEqual(cs);
      }),
      { numRuns: 150 },
    );
  });

  test('random bytes and strings never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.string({ maxLength: 200 }), (bytes, s) => {
        expect(() => parseContacts(bytes)).not.toThrow();
        expect(() => parseContacts(`BEGIN:VCARD\n${s}\nEND:VCARD\n${s}`)).not.toThrow();
      }),
    );
  });

  test('junk after the cards keeps every card before it', () => {
    fc.assert(
      fc.property(fc.array(contact, { minLength: 1, maxLength: 3 }), fc.uint8Array({ maxLength: 200 }), fc.constantFrom('3.0' as const, '4.0' as const), (cs, junk, version) => {
        const head = new TextEncoder().encode(toVCard(cs, { version }));
        const all = new Uint8Array(head.length + junk.length);
        all.set(head);
        all.set(junk, head.length);
        expect(parseContacts(all).records.slice(0, cs.length)).toEqual(cs);
      }),
    );
  });

  test('a file cut anywhere keeps exactly the cards that ended before the cut', () => {
    fc.assert(
      fc.property(fc.array(contact, { minLength: 1, maxLength: 3 }), fc.double({ min: 0, max: 1, noNaN: true }), (cs, at) => {
        const bytes = new TextEncoder().encode(toVCard(cs, { version: '3.0' }));
        const cut = Math.floor(at * bytes.length);
        const text = toVCard(cs, { version: '3.0' });
        const ends: number[] = [];
        let from = 0;
        for (;;) {
          const i = text.indexOf('END:VCARD', from);
          if (i < 0) break;
          ends.push(new TextEncoder().encode(text.slice(0, i + 9)).length);
          from = i + 9;
        }
        const complete = ends.filter((e) => e <= cut).length;
        const { records, errors } = parseContacts(bytes.subarray(0, cut));
        expect(records).toEqual(cs.slice(0, complete));
        // A cut inside the first BEGIN:VCARD leaves no card at all: 'unknown-format'.
        if (complete < cs.length && cut > 0) expect(errors.some((e) => e.code === 'truncated' || e.code === 'unknown-format')).toBe(true);
      }),
    );
  });
});
