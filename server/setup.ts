/**
 * Opening the stores, shared by the server and its CLI: chunks and the server secret in the data
 * directory; metadata in its SQLite file, or in PostgreSQL when KURA_DATABASE_URL is set; chunks
 * in an S3-compatible bucket when KURA_S3_ENDPOINT and KURA_S3_BUCKET are set; the key that signs
 * deletion receipts (privacy/receipts.ts).
 */
import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerConfig } from './config.ts';
import { newReceiptKey } from './privacy/receipts.ts';
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
    receiptKey: loadOrCreateReceiptKey(join(dataDir, 'deletion-receipt-key.pem'), databaseUrl !== undefined),
  };
}

/** How one instance-wide value is read from its variable or its file, made and written. */
interface Kept<T> {
  readonly env: string;
  /** What the warning asks every instance to share. */
  readonly noun: string;
  fromEnv(text: string): T;
  fromFile(data: Buffer): T;
  create(): T;
  toFile(value: T): string | Uint8Array;
}

/**
 * The value of `kept.env` if set, else the one kept at `path`, else a new one written there
 * (owner-only; 'wx', so a file another process made in between is never overwritten).
 */
function loadOrCreate<T>(path: string, shared: boolean, kept: Kept<T>): T {
  const fromEnv = process.env[kept.env];
  // Instances on one database must share it; each would otherwise make its own in its data dir.
  if (shared && !fromEnv) console.warn(`kura: KURA_DATABASE_URL is set but ${kept.env} is not: give every instance the same ${kept.noun}`);
  if (fromEnv) return kept.fromEnv(fromEnv);
  try {
    return kept.fromFile(readFileSync(path));
  } catch {
    const value = kept.create();
    writeFileSync(path, kept.toFile(value), { mode: 0o600, flag: 'wx' });
    return value;
  }
}

/**
 * The server's own secret (for unknown-email KDF parameters): KURA_SERVER_SECRET (hex) if set,
 * else 32 random bytes kept in the data directory, so answers stay stable across restarts.
 */
function loadOrCreateSecret(path: string, shared: boolean): Uint8Array {
  // Several instances on one database must answer alike for unknown emails, or which emails have
  // an account shows in the differences.
  return loadOrCreate<Uint8Array>(path, shared, {
    env: 'KURA_SERVER_SECRET',
    noun: 'secret',
    fromEnv: (hex) => {
      if (!/^[0-9a-f]{64,}$/i.test(hex)) throw new Error('KURA_SERVER_SECRET must be at least 64 hex characters');
      return Buffer.from(hex, 'hex');
    },
    fromFile: (data) => data,
    create: () => randomBytes(32),
    toFile: (secret) => secret,
  });
}

/**
 * The Ed25519 key that signs deletion receipts (privacy/receipts.ts): KURA_RECEIPT_SIGNING_KEY
 * (PKCS#8 PEM, newlines may be written \n) if set, else a key kept in the data directory.
 */
function loadOrCreateReceiptKey(path: string, shared: boolean): KeyObject {
  // Receipts signed by one instance must check against the public key every instance publishes.
  return loadOrCreate<KeyObject>(path, shared, {
    env: 'KURA_RECEIPT_SIGNING_KEY',
    noun: 'key',
    fromEnv: (pem) => createPrivateKey(pem.replace(/\\n/g, '\n')),
    fromFile: (data) => createPrivateKey(data.toString('utf8')),
    create: newReceiptKey,
    toFile: (key) => key.export({ type: 'pkcs8', format: 'pem' }) as string,
  });
}
