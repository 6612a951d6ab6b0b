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
import { isConsentPurpose, type ConsentPurpose } from './policy/ledger.ts';
import { POLICY_LANGUAGES } from './policy/types.ts';
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

/**
 * active; suspended (the user paused it: no sync writes, no server processing, data kept);
 * deleted-pending (deletion asked for: keys shredded, purge at deletionDueAt unless undone).
 */
export const accountStatusSchema = z.enum(['active', 'suspended', 'deleted-pending']);
export const accountResponse = z.strictObject({
  accountId: accountIdSchema,
  email: z.string(),
  createdAt: z.number().int(),
  status: accountStatusSchema,
  usageBytes: z.number().int().nonnegative(),
  quotaBytes: z.number().int().nonnegative(),
  /** Set while the account is deleted-pending: when the purge will erase it. */
  deletionDueAt: z.number().int().optional(),
  /** Days from a deletion request to the purge on this server (shown before the user deletes). */
  deletionRetentionDays: z.number().int().nonnegative(),
  /** A new address waiting for its confirmation code (until the code expires). */
  pendingEmail: z.string().optional(),
  /** Who holds this account's data (server configuration): the privacy center's contact card. */
  operator: z.strictObject({ name: z.string(), address: z.string(), email: z.string() }),
});
export type AccountResponse = z.infer<typeof accountResponse>;

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
  // Privacy (issue 7).
  'confirmation-invalid': 400,
  'operator-unauthorized': 401,
  'policy-not-accepted': 403,
  'consent-required': 403,
  'consent-chain-broken': 409,
  'stats-already-sent': 409,
  'account-suspended': 423,
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

// ---------------------------------------------------------------------------------------------
// Privacy (issue 7): the policy, the consent ledger, usage statistics, the user's rights
// (disclosure, correction, suspension, deletion, access log), inquiries, external services, and
// the operator's endpoints. server/README.md, "Privacy: what Kura holds, where, for how long".
// ---------------------------------------------------------------------------------------------

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex');
const time = z.number().int().nonnegative();
/** Query-string integers. */
const queryInt = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
const freeText = (max: number) => z.string().trim().min(1).max(max).refine((s) => !s.includes('\u0000'), 'must not contain U+0000');

export const policyLanguageSchema = z.enum(POLICY_LANGUAGES);
const policySectionSchema = z.strictObject({ id: z.string(), title: z.string(), body: z.string() });
const renderedLanguageSchema = z.strictObject({ summary: z.string(), privacy: z.array(policySectionSchema), terms: z.array(policySectionSchema) });
export const policyVersionInfo = z.strictObject({ version: z.number().int().positive(), date: z.string(), significant: z.boolean() });
/** An optional external connection the operator configured (KURA_EXTERNAL_SERVICES), as offered before consent. */
export const offeredExternalService = z.strictObject({ id: z.string(), name: z.string(), description: z.string(), dataShared: z.string() });
/** GET /policy and /policy/:version (no auth; ?lang=en|ja keeps one language). */
export const policyResponse = policyVersionInfo.extend({
  hash: hex64,
  current: z.boolean(),
  languages: z.strictObject({ en: renderedLanguageSchema.optional(), ja: renderedLanguageSchema.optional() }),
  /** Every published version, oldest first, for "what changed since the one you accepted". */
  versions: z.array(policyVersionInfo),
  /**
   * The optional external connections this server offers, each its own `external:<id>` purpose:
   * public, so the first-run consent step can list them before any account exists.
   */
  externalServices: z.array(offeredExternalService),
});
export type PolicyResponse = z.infer<typeof policyResponse>;
export const policyQuery = z.strictObject({ lang: policyLanguageSchema.optional() });

export const consentPurposeSchema = z.custom<ConsentPurpose>(isConsentPurpose, 'expected a purpose: service-operation, security-logging, support, usage-statistics or external:<id>');
export const consentActionSchema = z.enum(['granted', 'withdrawn']);
export const consentEntrySchema = z.strictObject({
  seq: z.number().int().positive(),
  purpose: consentPurposeSchema,
  action: consentActionSchema,
  policyVersion: z.number().int().positive(),
  policyHash: hex64,
  time,
  deviceId: deviceIdSchema,
  screenVersion: z.string(),
  prevHash: hex64,
  hash: hex64,
});
/**
 * POST /consents: the device names the ledger head it holds (prevHash); the server appends after
 * it (its clock, the session's device, the version's hash) or answers consent-chain-broken.
 */
export const appendConsentRequest = z.strictObject({
  purpose: consentPurposeSchema,
  action: consentActionSchema,
  policyVersion: z.number().int().positive(),
  screenVersion: freeText(64),
  prevHash: hex64,
});
export const consentPolicyState = z.strictObject({
  currentVersion: z.number().int().positive(),
  /** The version of the service-operation consent in force, or null. */
  acceptedVersion: z.number().int().positive().nullable(),
  /** True when sync writes are refused with policy-not-accepted until a new grant. */
  mustAccept: z.boolean(),
});
export const consentsResponse = z.strictObject({ entries: z.array(consentEntrySchema), policy: consentPolicyState });
/** POST /consents: the entry as chained and stored, and the policy state after it. */
export const appendConsentResponse = z.strictObject({ entry: consentEntrySchema, policy: consentPolicyState });
/** GET /consents/receipt: Kantara Consent Receipt v1.1 (core/policy/receipt.ts builds it). */
export const consentReceiptResponse = z.looseObject({
  version: z.literal('KI-CR-v1.1.0'),
  consentReceiptID: z.string(),
  consentTimestamp: z.number().int(),
  piiPrincipalId: z.string(),
  services: z.array(z.looseObject({ service: z.string(), purposes: z.array(z.looseObject({ purpose: z.string() })) })),
});

const statCount = z.number().int().nonnegative().max(1_000_000);
/**
 * POST /stats: aggregate counters only, nothing that names a person, a device or a file. Keys
 * are fixed or are error codes (kebab-case), so no free text can carry an identifier.
 */
export const usageStatsReport = z.strictObject({
  appVersion: z.string().regex(/^\d{1,4}\.\d{1,4}\.\d{1,4}$/),
  browserFamily: z.enum(['chrome', 'edge', 'firefox', 'safari', 'samsung', 'other']),
  backupsRun: statCount,
  filesBySize: z.strictObject({ under1MiB: statCount, to10MiB: statCount, to100MiB: statCount, to1GiB: statCount, over1GiB: statCount }),
  errors: z
    .record(z.string().regex(/^[a-z][a-z0-9-]{0,47}$/), statCount)
    .refine((r) => Object.keys(r).length <= 50, 'at most 50 error codes'),
});
export type UsageStatsReport = z.infer<typeof usageStatsReport>;

export const emailChangeRequest = z.strictObject({ email: emailSchema });
export const emailChangeResponse = z.strictObject({ pendingEmail: z.string(), expiresAt: time });
export const emailConfirmRequest = z.strictObject({ code: z.string().trim().min(6).max(32) });

/** POST /account/delete: re-authenticated with the passphrase's authKey, as at sign-in. */
export const deleteAccountRequest = z.strictObject({ authKey });
export const deleteAccountResponse = z.strictObject({ status: z.literal('deleted-pending'), deletionDueAt: time, receiptId: z.string() });
/** POST /account/restore/key: proves the recovery key, returns the recovery wrap to unwrap MK with. */
export const restoreKeyRequest = z.strictObject({ email: emailSchema, recoveryAuthKey: authKey });
export const restoreKeyResponse = z.strictObject({ accountId: accountIdSchema, wrappedRecoveryKey: wrappedKey, deletionDueAt: time });
/** POST /account/restore: MK re-wrapped under a new passphrase; answers as a sign-in (createSessionResponse). */
export const restoreAccountRequest = z.strictObject({
  email: emailSchema,
  recoveryAuthKey: authKey,
  kdf: kdfWireSchema,
  authKey,
  wrappedMasterKey: wrappedKey,
  device: deviceInfoSchema,
});

export const accessLogQuery = z.strictObject({
  from: queryInt(0).optional(),
  to: queryInt(0).optional(),
  deviceId: deviceIdSchema.optional(),
  /** A route class: the first path segment of the route ("chunks", "snapshots", "sessions"...). */
  action: z.string().regex(/^[a-z-]{1,32}$/).optional(),
  offset: queryInt(0).default(0),
  limit: queryInt(1, 1000).default(100),
  format: z.enum(['json', 'csv']).default('json'),
});
export const accessLogEntrySchema = z.strictObject({ time, ip: z.string(), deviceId: deviceIdSchema.nullable(), route: z.string(), status: z.number().int() });
export const accessLogResponse = z.strictObject({ entries: z.array(accessLogEntrySchema), total: z.number().int(), nextOffset: z.number().int().nullable() });

export const inquiryIdSchema = z.string().regex(/^[0-9a-f]{32}$/);
export const inquiryCategorySchema = z.enum(['account', 'backup', 'restore', 'privacy', 'other']);
export const inquiryStatusSchema = z.enum(['open', 'answered', 'closed']);
/** Attachments travel as base64url in the JSON body; count and size are limited by configuration. */
export const inquiryAttachmentUpload = z.strictObject({
  name: freeText(200),
  type: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/).max(100),
  data: z.string().refine((s) => fromBase64Url(s) !== undefined, 'expected base64url'),
});
export const createInquiryRequest = z.strictObject({
  category: inquiryCategorySchema,
  message: freeText(10_000),
  attachments: z.array(inquiryAttachmentUpload).max(20).optional(),
});
export const inquiryResponse = z.strictObject({
  id: inquiryIdSchema,
  category: inquiryCategorySchema,
  status: inquiryStatusSchema,
  createdAt: time,
  updatedAt: time,
  messages: z.array(z.strictObject({ author: z.enum(['user', 'operator']), body: z.string(), time })),
  attachments: z.array(z.strictObject({ index: z.number().int(), name: z.string(), type: z.string(), size: z.number().int() })),
});
export type InquiryResponse = z.infer<typeof inquiryResponse>;
export const inquiriesResponse = z.strictObject({ inquiries: z.array(inquiryResponse) });
export const operatorReplyRequest = z.strictObject({ message: freeText(10_000), status: z.enum(['answered', 'closed']).optional() });
export const operatorStatusRequest = z.strictObject({ status: inquiryStatusSchema });
export const operatorInquiryQuery = z.strictObject({ status: inquiryStatusSchema.optional() });

export const externalServiceResponse = offeredExternalService.extend({
  connected: z.boolean(),
  consent: z.enum(['granted', 'withdrawn', 'none']),
});
export const externalServicesResponse = z.strictObject({ services: z.array(externalServiceResponse) });
