import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { padme } from '../../../src/core/crypto/padme.ts';

describe('Padmé', () => {
  test('matches values worked out from the paper’s definition', () => {
    // L=9: E=3, S=2, mask=1 → 10. L=1000: E=9, S=4, mask 31 → 1024. L=1,000,000: E=19, S=5, mask 2^14-1.
    expect([0, 1, 2, 3, 8, 9, 100, 1000, 1_000_000].map(padme)).toEqual([0, 1, 2, 3, 8, 10, 104, 1024, 1_015_808]);
  });

  test('never shrinks, is idempotent, monotonic, and costs at most 12%', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 20 }), (length, more) => {
        const padded = padme(length);
        expect(padded).toBeGreaterThanOrEqual(length);
        expect(padme(padded)).toBe(padded);
        expect(padme(length + more)).toBeGreaterThanOrEqual(padded);
        if (length > 0) expect(padded / length).toBeLessThanOrEqual(1.12);
      }),
    );
  });

  test('leaves few distinct sizes: 1 MiB to 4 MiB maps onto a few dozen', () => {
    const sizes = new Set<number>();
    for (let length = 1 << 20; length <= 4 << 20; length += 997) sizes.add(padme(length));
    expect(sizes.size).toBeLessThanOrEqual(70);
  });
});
