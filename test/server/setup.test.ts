/**
 * The server secret and the receipt-signing key: made on first start in the data directory,
 * owner-only, the same on the next start; taken from the environment when it is set.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { publicKeyInfo } from '../../server/privacy/receipts.ts';
import { openStores } from '../../server/setup.ts';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kura-setup-'));
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dataDir, { recursive: true, force: true });
});

async function opened() {
  const stores = await openStores({ dataDir, databaseUrl: undefined });
  await stores.meta.close();
  return { secret: Buffer.from(stores.secret).toString('hex'), publicKey: publicKeyInfo(stores.receiptKey).publicKey };
}

describe('openStores: the secret and the receipt key', () => {
  test('are made once, owner-only, and kept across starts', async () => {
    vi.stubEnv('KURA_SERVER_SECRET', '');
    vi.stubEnv('KURA_RECEIPT_SIGNING_KEY', '');
    const first = await opened();
    expect(first.secret).toHaveLength(64);
    for (const file of ['server-secret', 'deletion-receipt-key.pem']) expect(statSync(join(dataDir, file)).mode & 0o777).toBe(0o600);
    expect(await opened()).toEqual(first);
  });

  test('come from the environment when it is set', async () => {
    const key = generateKeyPairSync('ed25519').privateKey;
    vi.stubEnv('KURA_SERVER_SECRET', 'ab'.repeat(32));
    vi.stubEnv('KURA_RECEIPT_SIGNING_KEY', (key.export({ type: 'pkcs8', format: 'pem' }) as string).replace(/\n/g, '\\n'));
    expect(await opened()).toEqual({ secret: 'ab'.repeat(32), publicKey: publicKeyInfo(key).publicKey });
    vi.stubEnv('KURA_SERVER_SECRET', 'abc');
    await expect(opened()).rejects.toThrow('KURA_SERVER_SECRET must be at least 64 hex characters');
  });
});
