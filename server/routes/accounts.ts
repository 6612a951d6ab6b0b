/** Accounts and sessions: registration, sign-in (passphrase or recovery key), sign-out, the account. */
import type { MiddlewareHandler } from 'hono';
import { fromBase64Url, toBase64Url } from '../../src/core/bytes.ts';
import { checkKdfParams } from '../../src/core/crypto/kdf.ts';
import { isKuraError } from '../../src/core/errors.ts';
import {
  createAccountRequest,
  createSessionRequest,
  sessionParamsRequest,
  kdfToWire,
  type AccountResponse,
  type KdfWire,
} from '../../src/core/protocol.ts';
import { NO_ACCOUNT_VERIFIER, checkVerifier, fakeKdf, makeVerifier, newSessionToken } from '../auth.ts';
import { callerOf, type AppContext, type AppEnv, type Deps } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import { readJson } from '../http/json.ts';
import { enforceRateLimit } from '../http/middleware.ts';
import type { AccountRecord, DeviceRecord, KdfRecord } from '../storage/ports.ts';
import type { RouteAdder } from './route.ts';

export const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Registering one email more than this is probing, not a person retrying. */
const REGISTER_PER_EMAIL_PER_HOUR = 5;

export const bytes = (b64: string): Uint8Array => fromBase64Url(b64)!; // schemas have checked the shape

/** A request's KDF parameters, refused (invalid-request) unless a later sign-in could derive with them. */
export function kdfFromRequest(wire: KdfWire): KdfRecord {
  const kdf: KdfRecord = { ...wire, salt: bytes(wire.salt) };
  try {
    checkKdfParams({ ...kdf, salt: new Uint8Array(kdf.salt) });
  } catch (e) {
    // A client must not store keys a later sign-in would refuse to derive.
    if (isKuraError(e)) throw new ApiError('invalid-request', { reason: `kdf: ${e.code}` });
    throw e;
  }
  return kdf;
}

/** The keys a signed-in device gets back with its session token. */
export interface SessionKeys {
  readonly wrappedMasterKey: Uint8Array;
  readonly wrappedRecoveryKey: Uint8Array;
  readonly kdf: KdfRecord;
}

/**
 * Signs `device` in to an existing account: records the device, issues a session and answers
 * 201 with the token and the keys (POST /sessions and POST /account/restore).
 */
export async function openSession(
  c: AppContext,
  deps: Deps,
  accountId: AccountRecord['id'],
  device: Omit<DeviceRecord, 'createdAt' | 'lastSeenAt'>,
  keys: SessionKeys,
) {
  const now = deps.now();
  await deps.meta.upsertDevice(accountId, { ...device, createdAt: now, lastSeenAt: now });
  const { token, tokenHash } = newSessionToken();
  await deps.meta.createSession({ tokenHash, accountId, deviceId: device.id, createdAt: now, expiresAt: now + deps.config.sessionTtlMs });
  c.set('caller', { accountId, deviceId: device.id, tokenHash });
  return c.json(
    {
      token,
      accountId,
      wrappedMasterKey: toBase64Url(keys.wrappedMasterKey),
      wrappedRecoveryKey: toBase64Url(keys.wrappedRecoveryKey),
      kdf: kdfToWire(keys.kdf),
    },
    201,
  );
}

/** GET /account's answer, shared with the routes that change the account (rights.ts). */
export function accountViewer(deps: Deps) {
  return async (accountId: string): Promise<AccountResponse> => {
    const account = await deps.meta.getAccount(accountId as AccountRecord['id']);
    if (!account) throw new ApiError('not-found');
    const emailChange = await deps.meta.privacy.getEmailChange(account.id);
    return {
      accountId: account.id,
      email: account.email,
      createdAt: account.createdAt,
      status: account.status,
      usageBytes: await deps.meta.usageBytes(account.id),
      quotaBytes: account.quotaBytes,
      ...(account.deletion ? { deletionDueAt: account.deletion.dueAt } : {}),
      deletionRetentionDays: deps.config.privacy.deletionRetentionDays,
      ...(emailChange && emailChange.expiresAt > deps.now() ? { pendingEmail: emailChange.email } : {}),
      operator: deps.config.privacy.operator,
    };
  };
}

export function accountRoutes(route: RouteAdder, deps: Deps, requireAuth: MiddlewareHandler<AppEnv>): void {
  const { meta, config } = deps;

  route('POST', '/accounts', async (c) => {
    await enforceRateLimit(deps, [{ key: `register-ip:${c.get('ip')}`, max: config.rateLimits.registerPerIpPerHour, windowMs: HOUR }]);
    const body = await readJson(c, createAccountRequest, config.maxJsonBytes);
    await enforceRateLimit(deps, [{ key: `register-email:${body.email}`, max: REGISTER_PER_EMAIL_PER_HOUR, windowMs: HOUR }]);
    const kdf = kdfFromRequest(body.kdf);
    const now = deps.now();
    const account: AccountRecord = {
      id: body.accountId,
      email: body.email,
      kdf,
      authVerifier: makeVerifier(bytes(body.authKey)),
      recoveryVerifier: makeVerifier(bytes(body.recoveryAuthKey)),
      wrappedMasterKey: bytes(body.wrappedMasterKey),
      wrappedRecoveryKey: bytes(body.wrappedRecoveryKey),
      status: 'active',
      quotaBytes: config.quotaBytes,
      createdAt: now,
    };
    const { token, tokenHash } = newSessionToken();
    const device = { ...body.device, createdAt: now, lastSeenAt: now };
    const session = { tokenHash, accountId: body.accountId, deviceId: body.device.id, createdAt: now, expiresAt: now + config.sessionTtlMs };
    const result = await meta.createAccount(account, device, session);
    if (result !== 'ok') throw new ApiError(result);
    c.set('caller', { accountId: account.id, deviceId: device.id, tokenHash });
    return c.json({ accountId: account.id, token }, 201);
  });

  route('POST', '/sessions/params', async (c) => {
    await enforceRateLimit(deps, [{ key: `signin-ip:${c.get('ip')}`, max: config.rateLimits.signInPerIpPerMinute, windowMs: MINUTE }]);
    const { email } = await readJson(c, sessionParamsRequest, config.maxJsonBytes);
    const account = await meta.getAccountByEmail(email);
    return c.json({ kdf: kdfToWire(account?.kdf ?? fakeKdf(deps.secret, email)) });
  });

  route('POST', '/sessions', async (c) => {
    await enforceRateLimit(deps, [{ key: `signin-ip:${c.get('ip')}`, max: config.rateLimits.signInPerIpPerMinute, windowMs: MINUTE }]);
    const body = await readJson(c, createSessionRequest, config.maxJsonBytes);
    await enforceRateLimit(deps, [{ key: `signin-email:${body.email}`, max: config.rateLimits.signInPerEmailPerMinute, windowMs: MINUTE }]);
    const account = await meta.getAccountByEmail(body.email);
    const [verifier, proof] =
      'authKey' in body
        ? [account?.authVerifier, body.authKey]
        : [account?.recoveryVerifier, body.recoveryAuthKey];
    // Unknown emails are checked against a verifier that never matches: same work, same answer.
    const valid = checkVerifier(verifier ?? NO_ACCOUNT_VERIFIER, bytes(proof));
    // A pending deletion is undone explicitly (routes/deletion.ts), never by signing in.
    if (!account || !valid || account.status === 'deleted-pending') throw new ApiError('bad-credentials');
    return openSession(c, deps, account.id, body.device, account);
  });

  route('DELETE', '/sessions/current', requireAuth, async (c) => {
    await meta.deleteSession(callerOf(c).tokenHash);
    return c.body(null, 204);
  });

  const accountView = accountViewer(deps);

  route('GET', '/account', requireAuth, async (c) => c.json(await accountView(callerOf(c).accountId)));

  // The email is changed only through the confirmed flow (POST /account/email, privacy routes).
}
