/**
 * Canonical JSON is the text every record hash and id is computed from, so the hand-written
 * serializer must give exactly the text of the first implementation (JSON.stringify with a
 * replacer that sorts each object's entries) for any value, records and odd JSON alike.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { canonicalJson } from '../../../src/core/records/canonical.ts';
import { contact } from './arbitraries.ts';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** The first implementation, kept here as the reference. */
const reference = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => cmp(a, b))) : v));

/** Values JSON can meet in a record and some it should not: undefined, NaN, ±Infinity, -0, index-like keys. */
const odd: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(undefined, null, NaN, Infinity, -Infinity, -0, 0, true, false, '', '\u2028', '"\\', '\ud800'),
    fc.double(),
    fc.integer(),
    fc.string(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('0', '1', '10', '2', '01', '-1', '4294967294', '4294967295', '__proto__', 'a', 'B')), tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('canonicalJson', () => {
  test('equals the reference for any JSON-like value', () => {
    fc.assert(fc.property(odd, (value) => {
      expect(canonicalJson(value)).toBe(reference(value));
    }), { numRuns: 2000 });
  });

  test('equals the reference for contacts', () => {
    fc.assert(fc.property(contact, (c) => {
      expect(canonicalJson(c)).toBe(reference(c));
    }), { numRuns: 500 });
  });

  test('sorts keys at every depth, index-like keys first as JavaScript orders them, and leaves out undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, undefined, { z: 1, y: 2 }], c: undefined }, 10: 'x', 2: 'y' })).toBe('{"2":"y","10":"x","a":{"d":[3,null,{"y":2,"z":1}]},"b":1}');
    // eslint-disable-next-line no-sparse-arrays
    expect(canonicalJson([1, , 3])).toBe(reference([1, , 3]));
    expect(canonicalJson({ when: new Date(0) })).toBe('{"when":"1970-01-01T00:00:00.000Z"}');
  });
});
