/**
 * Bytes of an export file as text: UTF-8 (a BOM dropped), or, when the bytes are not valid UTF-8,
 * Shift_JIS, as Japanese feature phones and older Windows tools wrote. TextDecoder knows both in
 * browsers and in Node (full ICU), so no table ships with Kura.
 */
export function decodeExport(input: string | Uint8Array): string {
  if (typeof input === 'string') return input.replace(/^\uFEFF/, '');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input).replace(/^\uFEFF/, '');
  } catch {
    return decodeCharset(input, 'shift_jis');
  }
}

/** Bytes in a named charset (vCard 2.1's CHARSET=); a RangeError when the charset is unknown. */
export function decodeCharset(bytes: Uint8Array, charset: string): string {
  const label = charset.trim().toLowerCase();
  const known = label === 'sjis' || label === 'x-sjis' || label === 'cp932' || label === 'windows-31j' ? 'shift_jis' : label;
  return new TextDecoder(known).decode(bytes);
}
