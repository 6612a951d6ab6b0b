/**
 * Server configuration from environment variables, every one with a safe default, so `npm start`
 * needs none. README.md's "Server" section lists them.
 */
import { envelopeSize, MIN_SEGMENT_LOG2 } from '../src/core/crypto/envelope.ts';
import { DEFAULT_CHUNKING } from '../src/core/chunking/params.ts';
import { loadPrivacyConfig, type PrivacyConfig } from './privacy/config.ts';

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** A postgres:// URL: the metadata lives in PostgreSQL instead of the data directory's SQLite file. */
  readonly databaseUrl: string | undefined;
  /** The built app to serve; the API works without it. */
  readonly staticDir: string;
  readonly version: string;
  readonly quotaBytes: number;
  readonly maxChunkBytes: number;
  readonly maxJsonBytes: number;
  readonly maxSnapshotBytes: number;
  readonly sessionTtlMs: number;
  readonly gcGraceMs: number;
  readonly gcIntervalMs: number;
  /** Take the client address from X-Forwarded-For (only behind a trusted reverse proxy). */
  readonly trustProxy: boolean;
  readonly rateLimits: {
    readonly signInPerIpPerMinute: number;
    readonly signInPerEmailPerMinute: number;
    readonly registerPerIpPerHour: number;
  };
  readonly privacy: PrivacyConfig;
}

const MIB = 1024 * 1024;
const HOUR = 3_600_000;

/**
 * The largest envelope a client can make of the largest chunk: max chunk size with the smallest
 * segment size (most tags). Larger uploads are refused as too-large.
 */
export const DEFAULT_MAX_CHUNK_BYTES = envelopeSize(DEFAULT_CHUNKING.maxSize, MIN_SEGMENT_LOG2);

function databaseUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^postgres(ql)?:\/\//.test(raw)) throw new Error('KURA_DATABASE_URL must be a postgres:// or postgresql:// URL');
  return raw;
}

export function loadConfig(env: Record<string, string | undefined> = process.env, version = '0.0.0'): ServerConfig {
  const int = (name: string, fallback: number, min = 0): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, not "${raw}"`);
    return value;
  };
  return {
    host: env.HOST || '0.0.0.0',
    port: int('PORT', 8080),
    dataDir: env.KURA_DATA_DIR || './data',
    databaseUrl: databaseUrl(env.KURA_DATABASE_URL),
    staticDir: env.KURA_STATIC_DIR || './dist',
    version,
    quotaBytes: int('KURA_QUOTA_MIB', 50 * 1024, 1) * MIB,
    maxChunkBytes: int('KURA_MAX_CHUNK_BYTES', DEFAULT_MAX_CHUNK_BYTES, 1024),
    maxJsonBytes: int('KURA_MAX_JSON_BYTES', 2 * MIB, 1024),
    maxSnapshotBytes: int('KURA_MAX_SNAPSHOT_MIB', 64, 1) * MIB,
    sessionTtlMs: int('KURA_SESSION_TTL_DAYS', 30, 1) * 24 * HOUR,
    gcGraceMs: int('KURA_GC_GRACE_HOURS', 24, 0) * HOUR,
    gcIntervalMs: int('KURA_GC_INTERVAL_MINUTES', 60, 1) * 60_000,
    trustProxy: env.KURA_TRUST_PROXY === '1' || env.KURA_TRUST_PROXY === 'true',
    rateLimits: {
      signInPerIpPerMinute: int('KURA_SIGNIN_PER_IP_PER_MINUTE', 30, 1),
      signInPerEmailPerMinute: int('KURA_SIGNIN_PER_EMAIL_PER_MINUTE', 10, 1),
      registerPerIpPerHour: int('KURA_REGISTER_PER_IP_PER_HOUR', 20, 1),
    },
    privacy: loadPrivacyConfig(env, int),
  };
}
