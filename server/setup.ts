/**
 * Opening the stores, shared by the server and its CLI: chunks and the server secret in the data
 * directory; metadata in its SQLite file, or in PostgreSQL when KURA_DATABASE_URL is set; chunks
 * in an S3-compatible bucket when KURA_S3_ENDPOINT and KURA_S3_BUCKET are set; the key that signs
 * deletion receipts (privacy/receipts.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerConfig } from './config.ts';
import { loadOrCreateReceiptKey } from './privacy/receipts.ts';
import { FsObjectStore } from './storage/fs-objects.ts';
import type { MetaStore } from './storage/ports.ts';
import { PostgresMetaStore } from './storage/postgres-meta.ts';
import { S3ObjectStore } from './storage/s3-objects.ts';
import { SqliteMetaStore } from './storage/sqlite-meta.ts';

export async function openStores({ dataDir, databaseUrl }: Pick<ServerConfig, 'dataDir' | 'databaseUrl'>) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const meta: MetaStore = databaseUrl ? await PostgresMetaStore.open(databaseUrl) : new SqliteMetaStore(join(dataDir, 'kura.sqlite'));
  return {
    meta,
    objects: S3ObjectStore.fromEnv(process.env) ?? new FsObjectStore(dataDir),
    secret: loadOrCreateSecret(join(dataDir, 'server-secret'), databaseUrl !== undefined),
    receiptKey: loadOrCreateReceiptKey(dataDir),
  };
}

/**
 * The server's own secret (for unknown-email KDF parameters): KURA_SERVER_SECRET (hex) if set,
 * else 32 random bytes kept in the data directory, so answers stay stable across restarts.
 */
function loadOrCreateSecret(path: string, shared: boolean): Uint8Array {
  const fromEnv = process.env.KURA_SERVER_SECRET;
  // Several instances on one database must answer alike for unknown emails, or which emails have
  // an account shows in the differences: each would make a secret of its own in its data dir.
  if (shared && !fromEnv) console.warn('kura: KURA_DATABASE_URL is set but KURA_SERVER_SECRET is not: give every instance the same secret');
  if (fromEnv) {
    if (!/^[0-9a-f]{64,}$/i.test(fromEnv)) throw new Error('KURA_SERVER_SECRET must be at least 64 hex characters');
    return Buffer.from(fromEnv, 'hex');
  }
  try {
    return readFileSync(path);
  } catch {
    const secret = randomBytes(32);
    writeFileSync(path, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}
