import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseContacts } from '../../../src/core/records/contacts-parse.ts';
import { toVCard } from '../../../src/core/records/contacts.ts';
import { contact } from './arbitraries.ts';

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
