/**
 * The wire protocol between the Kura client and server, `/api/v1` (one module, imported by both:
 * a wire change is one edit). JSON bodies are described by zod schemas, checked on the server for
 * requests and on the client for responses. Binary fields travel as unpadded base64url.
 *
 * Vocabulary: an account (client-chosen random id, an email, KDF parameters and wrapped keys),
 * its devices (random ids chosen by each install), sessions (bearer tokens, one per device
 * sign-in), chunks (opaque sealed envelopes named by their keyed id) and snapshots (a sealed
 * manifest plus the list of chunk ids it references, so the server can count and collect).
 */
import * as z from 'zod';
import { fromBase64Url, toBase64Url } from './bytes.ts';
import type { KuraErrorCode } from './errors.ts';
import { isChunkId, isRandomId, type AccountId, type ChunkId, type DeviceId, type SnapshotId } from './ids.ts';
import { KDF_SALT_BYTES, type KdfParams } from './crypto/kdf.ts';
import { WRAPPED_KEY_BYTES } from './crypto/masterkey.ts';

export const API_PREFIX = '/api/v1';
export const MAX_MISSING_QUERY = 10_000;
export const AUTH_KEY_BYTES = 32;

/** Base64url text that decodes to exactly `length` bytes (or between min and max). */
export function base64urlBytes(min: number, max = min) {
  return z.string().refine((s) => {
    const bytes = fromBase64Url(s);
    return bytes !== undefined && bytes.length >= min && bytes.length <= max;
  }, `expected base64url of ${min === max ? min : `${min}-${max}`} bytes`);
}

const randomId = <T extends string>(what: string) => z.custom<T>(isRandomId, `expected a ${what} id (32 hex)`);
export const accountIdSchema = randomId<AccountId>('account');
export const deviceIdSchema = randomId<DeviceId>('device');
export const snapshotIdSchema = randomId<SnapshotId>('snapshot');
export const chunkIdSchema = z.custom<ChunkId>(isChunkId, 'expected a chunk id (64 lowercase hex)');

/** Emails are compared case-insensitively: stored trimmed and lowercased. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email().max(254));

export const kdfWireSchema = z.strictObject({
  alg: z.literal('argon2id'),
  m: z.number().int().positive(),
  t: z.number().int().positive(),
  p: z.number().int().positive(),
  salt: base64urlBytes(KDF_SALT_BYTES),
});
export type KdfWire = z.infer<typeof kdfWireSchema>;

export function kdfToWire(k: { readonly alg: 'argon2id'; readonly m: number; readonly t: number; readonly p: number; readonly salt: Uint8Array }): KdfWire {
  return { alg: k.alg, m: k.m, t: k.t, p: k.p, salt: toBase64Url(k.salt) };
}

/** Wire parameters (already checked by kdfWireSchema) as KdfParams; checkKdfParams still applies. */
export function kdfFromWire(k: KdfWire): KdfParams {
  return { alg: k.alg, m: k.m, t: k.t, p: k.p, salt: fromBase64Url(k.salt) ?? new Uint8Array(0) };
}

/**
 * Free text a device is labelled with. No NUL: PostgreSQL's text columns cannot hold U+0000, so
 * such a name would be a 500 there and a 200 on SQLite; refused the same (400) on every backend.
 */
const deviceText = (min: number) =>
  z.string().trim().min(min).max(100).refine((s) => !s.includes('\u0000'), 'must not contain U+0000');

export const deviceInfoSchema = z.strictObject({
  id: deviceIdSchema,
  name: deviceText(1),
  model: deviceText(0),
});
export type DeviceInfo = z.infer<typeof deviceInfoSchema>;

const authKey = base64urlBytes(AUTH_KEY_BYTES);
const wrappedKey = base64urlBytes(WRAPPED_KEY_BYTES);

export const createAccountRequest = z.strictObject({
  /** Chosen by the client: the wrapped master key's authenticated data binds it (crypto/masterkey.ts). */
  accountId: accountIdSchema,
  email: emailSchema,
  kdf: kdfWireSchema,
  authKey,
  /** Proof of the recovery key, so a user who forgot the passphrase can still sign in. */
  recoveryAuthKey: authKey,
  wrappedMasterKey: wrappedKey,
  wrappedRecoveryKey: wrappedKey,
  device: deviceInfoSchema,
});
export type CreateAccountRequest = z.infer<typeof createAccountRequest>;
export const createAccountResponse = z.strictObject({ accountId: accountIdSchema, token: z.string() });

export const sessionParamsRequest = z.strictObject({ email: emailSchema });
export const sessionParamsResponse = z.strictObject({ kdf: kdfWireSchema });

/** Sign in with the passphrase's authKey or the recovery key's recoveryAuthKey, not both. */
export const createSessionRequest = z.union([
  z.strictObject({ email: emailSchema, authKey, device: deviceInfoSchema }),
  z.strictObject({ email: emailSchema, recoveryAuthKey: authKey, device: deviceInfoSchema }),
]);
export type CreateSessionRequest = z.infer<typeof createSessionRequest>;
export const createSessionResponse = z.strictObject({
  token: z.string(),
  accountId: accountIdSchema,
  wrappedMasterKey: wrappedKey,
  wrappedRecoveryKey: wrappedKey,
  kdf: kdfWireSchema,
});

export const accountStatusSchema = z.enum(['active']);
export const accountResponse = z.strictObject({
  accountId: accountIdSchema,
  email: z.string(),
  createdAt: z.number().int(),
  status: accountStatusSchema,
  usageBytes: z.number().int().nonnegative(),
  quotaBytes: z.number().int().nonnegative(),
});
export type AccountResponse = z.infer<typeof accountResponse>;
export const patchAccountRequest = z.strictObject({ email: emailSchema });

export const deviceResponse = z.strictObject({
  id: deviceIdSchema,
  name: z.string(),
  model: z.string(),
  createdAt: z.number().int(),
  lastSeenAt: z.number().int(),
  current: z.boolean(),
});
export type DeviceResponse = z.infer<typeof deviceResponse>;
export const devicesResponse = z.strictObject({ devices: z.array(deviceResponse) });
export const patchDeviceRequest = z.strictObject({ name: deviceText(1) });

export const missingChunksRequest = z.strictObject({ ids: z.array(chunkIdSchema).max(MAX_MISSING_QUERY) });
export const missingChunksResponse = z.strictObject({ missing: z.array(chunkIdSchema) });

export const snapshotKindSchema = z.enum(['files', 'records']);
export const createSnapshotRequest = z.strictObject({
  id: snapshotIdSchema,
  kind: snapshotKindSchema,
  deviceId: deviceIdSchema,
  counter: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  refs: z.array(chunkIdSchema),
  sealed: z.string().refine((s) => (fromBase64Url(s)?.length ?? 0) > 0, 'expected base64url of a sealed manifest'),
});
export type CreateSnapshotRequest = z.infer<typeof createSnapshotRequest>;

export const snapshotSummary = z.strictObject({
  id: snapshotIdSchema,
  kind: snapshotKindSchema,
  deviceId: deviceIdSchema,
  counter: z.number().int().positive(),
  createdAt: z.number().int(),
  /** Sealed manifest plus the envelopes it references, as stored (each chunk counted once). */
  bytes: z.number().int().nonnegative(),
  chunkCount: z.number().int().nonnegative(),
});
export type SnapshotSummary = z.infer<typeof snapshotSummary>;
export const snapshotsResponse = z.strictObject({ snapshots: z.array(snapshotSummary) });
export const snapshotResponse = snapshotSummary.extend({ sealed: z.string() });
export const snapshotListQuery = z.strictObject({
  kind: snapshotKindSchema.optional(),
  deviceId: deviceIdSchema.optional(),
});

export const healthResponse = z.strictObject({ ok: z.literal(true), version: z.string() });

/**
 * Every error the API returns, with its HTTP status. Codes are stable: clients branch on them.
 * Their messages live with every other code in errors.ts, so client and server speak one vocabulary.
 */
export const API_ERRORS = {
  'invalid-request': 400,
  'digest-required': 400,
  'digest-mismatch': 400,
  'device-mismatch': 400,
  unauthenticated: 401,
  'bad-credentials': 401,
  'not-found': 404,
  'method-not-allowed': 405,
  'email-taken': 409,
  'account-exists': 409,
  'missing-chunks': 409,
  'snapshot-exists': 409,
  'stale-counter': 409,
  'too-large': 413,
  'unsupported-media-type': 415,
  'range-not-satisfiable': 416,
  'rate-limited': 429,
  internal: 500,
  'object-corrupt': 500,
  'quota-exceeded': 507,
} as const satisfies Partial<Record<KuraErrorCode, number>>;
export type ApiErrorCode = keyof typeof API_ERRORS;

export function isApiErrorCode(code: unknown): code is ApiErrorCode {
  return typeof code === 'string' && Object.hasOwn(API_ERRORS, code);
}

export const errorResponse = z.strictObject({
  error: z.object({ code: z.string(), message: z.string(), missing: z.array(chunkIdSchema).optional() }),
});
export type ErrorResponse = z.infer<typeof errorResponse>;

/** RFC 9530 Content-Digest for a body whose SHA-256 is `digest`. */
export function contentDigestHeader(digestBase64: string): string {
  return `sha-256=:${digestBase64}:`;
}

/** Reads the sha-256 member of an RFC 9530 Content-Digest field (RFC 8941 dictionary). */
export function parseContentDigest(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  for (const member of header.split(',')) {
    const match = /^\s*sha-256\s*=\s*:([A-Za-z0-9+/]{43}=):\s*$/.exec(member);
    if (match) return match[1];
  }
  return undefined;
}
