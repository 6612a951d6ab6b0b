/**
 * Padmé padding (Nikitin et al., "Reducing Metadata Leakage from Encrypted Files and
 * Communication with PURBs", 2019): rounds a length up so that only O(log log L) bits of it
 * leak, at a cost of at most about 12% (less for large lengths).
 */
export function padme(length: number): number {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`bad length ${length}`);
  if (length < 2) return length;
  const e = bitLength(length) - 1; // floor(log2 L), exactly
  const s = bitLength(e); // floor(log2 e) + 1
  const lastBits = e - s;
  const mask = 2 ** lastBits - 1;
  // (length + mask) & ~mask without 32-bit overflow for lengths past 2 GiB
  return Math.ceil(length / (mask + 1)) * (mask + 1);
}

function bitLength(n: number): number {
  return n.toString(2).length;
}
