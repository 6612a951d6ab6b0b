/** The two-halves FNV-1a 64 gives exactly the digits of the BigInt definition (ids must never change). */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { fnv1a64 } from '../../../src/core/records/hash.ts';

function reference(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(text)) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0');
}

test('published vectors', () => {
  expect(fnv1a64('')).toBe('cbf29ce484222325');
  expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
  expect(fnv1a64('foobar')).toBe('85944171f73967e8');
});

test('equals the BigInt definition on any text', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
      expect(fnv1a64(s)).toBe(reference(s));
    }),
    { numRuns: 2000 },
  );
});
