/**
 * A stable, synchronous id for a record that came without one: FNV-1a 64-bit over the UTF-8 of
 * its canonical identity, as 16 hex digits. Not a security hash: it only has to give the same
 * record the same id every time it is imported (WebCrypto's digests are asynchronous).
 *
 * Computed in two 32-bit halves (the prime is 2^40 + 0x1b3, so h·prime = h·0x1b3 + (h << 40)):
 * the same digits as 64-bit BigInt arithmetic, about ten times faster, which matters when a call
 * log of tens of thousands of entries is hashed on every import.
 */
export function fnv1a64(text: string): string {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (const b of new TextEncoder().encode(text)) {
    lo ^= b;
    const low = (lo >>> 0) * 0x1b3; // below 2^41: exact in a double
    hi = (Math.imul(hi, 0x1b3) + (lo << 8) + Math.floor(low / 0x100000000)) >>> 0;
    lo = low >>> 0;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
