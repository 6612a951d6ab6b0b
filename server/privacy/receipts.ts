/**
 * Deletion receipts: after a purge the server signs what it removed (counts, times, a hash of the
 * account id) with an Ed25519 key, so a user can later show the deletion happened and anyone can
 * check it against the public key at GET /api/v1/deletion-receipts/key.
 *
 * The key is KURA_RECEIPT_SIGNING_KEY (PKCS#8 PEM) or a key kept in the data directory
 * (deletion-receipt-key.pem, made on first start; loaded in setup.ts). Instances sharing a
 * database should share it.
 */
import { createHash, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { toBase64Url } from '../../src/core/bytes.ts';
import type { AccountRecord } from '../storage/ports.ts';
import type { PurgeCounts, StoredReceipt } from '../storage/privacy-ports.ts';

export function newReceiptKey(): KeyObject {
  return generateKeyPairSync('ed25519').privateKey;
}

export function publicKeyInfo(key: KeyObject) {
  const pub = createPublicKey(key);
  const der = pub.export({ type: 'spki', format: 'der' });
  // An Ed25519 SPKI is a fixed 12-byte header and the 32-byte key.
  return { alg: 'Ed25519' as const, publicKey: toBase64Url(der.subarray(der.length - 32)), publicKeyPem: pub.export({ type: 'spki', format: 'pem' }) as string };
}

/** The receipt for a purged account, signed over the exact JSON text stored with it. */
export function sealReceipt(key: KeyObject, account: AccountRecord, counts: PurgeCounts, purgedAt: number): StoredReceipt {
  const deletion = account.deletion!;
  const body = {
    format: 'kura-deletion-receipt-v1',
    receiptId: deletion.receiptId,
    accountIdHash: createHash('sha256').update(account.id).digest('hex'),
    requestedAt: deletion.requestedAt,
    dueAt: deletion.dueAt,
    purgedAt,
    counts,
  };
  const signed = JSON.stringify(body);
  return { id: deletion.receiptId, signed, signature: sign(null, Buffer.from(signed, 'utf8'), key), createdAt: purgedAt };
}
