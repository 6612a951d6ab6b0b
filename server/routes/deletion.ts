/**
 * Account deletion and its undo, and the deletion receipts.
 *
 * [Note: Deletion and undo] POST /account/delete (re-authenticated with the passphrase's authKey)
 * destroys the passphrase wrap of the master key at once, scrambles the passphrase verifier, ends
 * every session and marks the account deleted-pending until deletionDueAt (now + the retention
 * period); the purge (privacy/purge.ts) erases it after that. Until then the recovery key can undo
 * it, in two calls that each prove the recovery key: POST /account/restore/key returns the
 * recovery wrap (to unwrap the master key on the device), and POST /account/restore takes the
 * master key re-wrapped under a new passphrase with its KDF parameters and authKey, makes the
 * account active again and signs the device in. A recovery sign-in (POST /sessions) on a pending
 * account is refused like a wrong key: the undo is explicit.
 */
import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { toBase64Url } from '../../src/core/bytes.ts';
import { deleteAccountRequest, restoreAccountRequest, restoreKeyRequest } from '../../src/core/protocol.ts';
import { checkVerifier, makeVerifier, NO_ACCOUNT_VERIFIER } from '../auth.ts';
import { callerOf, type AppContext, type AppEnv, type Deps } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import { pathParam, readJson } from '../http/json.ts';
import { enforceRateLimit } from '../http/middleware.ts';
import { publicKeyInfo } from '../privacy/receipts.ts';
import type { AccountRecord } from '../storage/ports.ts';
import { bytes, kdfFromRequest, MINUTE, openSession } from './accounts.ts';
import type { RouteAdder } from './route.ts';
import * as z from 'zod';

const DAY_MS = 86_400_000;

export function deletionRoutes(route: RouteAdder, deps: Deps, requireAuth: MiddlewareHandler<AppEnv>): void {
  const { meta, config } = deps;

  const signInLimits = async (c: AppContext, email: string) =>
    enforceRateLimit(deps, [
      { key: `signin-ip:${c.get('ip')}`, max: config.rateLimits.signInPerIpPerMinute, windowMs: MINUTE },
      { key: `signin-email:${email}`, max: config.rateLimits.signInPerEmailPerMinute, windowMs: MINUTE },
    ]);

  /** The pending account the recovery key opens; any other case is bad-credentials, alike. */
  const pendingByRecovery = async (email: string, recoveryAuthKey: string): Promise<AccountRecord> => {
    const account = await meta.getAccountByEmail(email);
    const valid = checkVerifier(account?.recoveryVerifier ?? NO_ACCOUNT_VERIFIER, bytes(recoveryAuthKey));
    if (!account || !valid || account.status !== 'deleted-pending' || !account.deletion) throw new ApiError('bad-credentials');
    // The period is what the user was told: past it the account is as good as gone, purged or not.
    if (deps.now() >= account.deletion.dueAt) throw new ApiError('bad-credentials');
    return account;
  };

  route('POST', '/account/delete', requireAuth, async (c) => {
    const { accountId } = callerOf(c);
    const { authKey } = await readJson(c, deleteAccountRequest, config.maxJsonBytes);
    const account = await meta.getAccount(accountId);
    if (!account) throw new ApiError('unauthenticated');
    await signInLimits(c, account.email);
    if (!checkVerifier(account.authVerifier, bytes(authKey))) throw new ApiError('bad-credentials');
    const now = deps.now();
    const deletion = { requestedAt: now, dueAt: now + config.privacy.deletionRetentionDays * DAY_MS, receiptId: randomBytes(16).toString('hex') };
    if (!(await meta.privacy.markDeleted(accountId, deletion, makeVerifier(randomBytes(32))))) throw new ApiError('not-found');
    return c.json({ status: 'deleted-pending', deletionDueAt: deletion.dueAt, receiptId: deletion.receiptId }, 202);
  });

  route('POST', '/account/restore/key', async (c) => {
    const body = await readJson(c, restoreKeyRequest, config.maxJsonBytes);
    await signInLimits(c, body.email);
    const account = await pendingByRecovery(body.email, body.recoveryAuthKey);
    return c.json({ accountId: account.id, wrappedRecoveryKey: toBase64Url(account.wrappedRecoveryKey), deletionDueAt: account.deletion!.dueAt });
  });

  route('POST', '/account/restore', async (c) => {
    const body = await readJson(c, restoreAccountRequest, config.maxJsonBytes);
    await signInLimits(c, body.email);
    const account = await pendingByRecovery(body.email, body.recoveryAuthKey);
    const kdf = kdfFromRequest(body.kdf);
    const keys = { kdf, authVerifier: makeVerifier(bytes(body.authKey)), wrappedMasterKey: bytes(body.wrappedMasterKey) };
    if (!(await meta.privacy.restoreDeleted(account.id, keys))) throw new ApiError('bad-credentials');
    return openSession(c, deps, account.id, body.device, { ...keys, wrappedRecoveryKey: account.wrappedRecoveryKey });
  });

  route('GET', '/deletion-receipts/key', (c) => c.json(publicKeyInfo(deps.receiptKey)));

  route('GET', '/deletion-receipts/:id', async (c) => {
    const id = pathParam(z.string().regex(/^[0-9a-f]{32}$/), c.req.param('id'));
    const stored = await meta.privacy.getDeletionReceipt(id);
    if (!stored) throw new ApiError('not-found');
    return c.json({ alg: 'Ed25519', signed: stored.signed, signature: toBase64Url(stored.signature), receipt: JSON.parse(stored.signed) as unknown });
  });
}
