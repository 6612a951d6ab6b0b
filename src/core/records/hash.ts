/**
 * A stable, synchronous id for a record that came without one: FNV-1a 64-bit over the UTF-8 of
 * its canonical identity, as 16 hex digits. Not a security hash: it only has to give the same
 * record the same id every time it is imported (WebCrypto's digests are asynchronous).
 */
export function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(text)) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}
