/**
 * The FastCDC gear table: 256 pseudo-random 32-bit words, one per byte value. Kura derives it from
 * the account's gear subkey, so where chunk boundaries fall is secret to the account: the server
 * cannot recognise a known file from the sizes of its chunks.
 */
import { KuraError } from '../errors.ts';

/** Stored as Int32Array so the hot loop stays in 32-bit integer arithmetic. */
export type GearTable = Int32Array & { readonly __gear: true };

export const GEAR_TABLE_BYTES = 1024;

export function gearTableFromBytes(bytes: Uint8Array): GearTable {
  if (bytes.length !== GEAR_TABLE_BYTES) throw new KuraError('invalid-argument', { kind: 'gear bytes' });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const table = new Int32Array(256);
  for (let i = 0; i < 256; i++) table[i] = view.getInt32(4 * i);
  return table as GearTable;
}
