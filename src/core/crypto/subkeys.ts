/**
 * Account subkeys, derived from the master key by HKDF with one label each (DESIGN.md section 3).
 * All are non-extractable CryptoKeys except the gear table, which the chunker needs as numbers.
 */
import type { Bytes } from '../bytes.ts';
import { gearTableFromBytes, type GearTable } from '../chunking/gear.ts';
import { KuraError } from '../errors.ts';
import { hkdfBytes, hkdfKey, importHkdfKey } from './hkdf.ts';
import { MASTER_KEY_BYTES } from './masterkey.ts';

export interface AccountKeys {
  /** HMAC key: chunk id = HMAC(plaintext). */
  readonly chunkId: CryptoKey;
  /** HMAC key: keyed whole-file hash over the file's chunk ids. */
  readonly fileHash: CryptoKey;
  /** AES-GCM keys sealing each kind of object, so no envelope can pass for another kind. */
  readonly chunk: CryptoKey;
  readonly manifest: CryptoKey;
  readonly records: CryptoKey;
  readonly thumbs: CryptoKey;
  readonly ledger: CryptoKey;
  /** Secret FastCDC gear table: chunk boundaries reveal nothing the server could match. */
  readonly gear: GearTable;
}

export async function deriveAccountKeys(masterKey: Bytes): Promise<AccountKeys> {
  if (masterKey.length !== MASTER_KEY_BYTES) {
    throw new KuraError('invalid-argument', { kind: 'master key', length: masterKey.length });
  }
  const base = await importHkdfKey(masterKey);
  const [chunkId, fileHash, chunk, manifest, records, thumbs, ledger, gearBytes] = await Promise.all([
    hkdfKey(base, 'kura/v1/subkey/chunk-id', 'hmac'),
    hkdfKey(base, 'kura/v1/subkey/file-hash', 'hmac'),
    hkdfKey(base, 'kura/v1/subkey/chunk', 'aes-gcm'),
    hkdfKey(base, 'kura/v1/subkey/manifest', 'aes-gcm'),
    hkdfKey(base, 'kura/v1/subkey/records', 'aes-gcm'),
    hkdfKey(base, 'kura/v1/subkey/thumbs', 'aes-gcm'),
    hkdfKey(base, 'kura/v1/subkey/ledger', 'aes-gcm'),
    hkdfBytes(base, 'kura/v1/subkey/gear', 1024),
  ]);
  return { chunkId, fileHash, chunk, manifest, records, thumbs, ledger, gear: gearTableFromBytes(gearBytes) };
}
