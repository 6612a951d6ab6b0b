/**
 * Middleware of the privacy rules: sync writes need an active account whose policy acceptance is
 * current ([Note: Policy acceptance], policy.ts); operator endpoints need the operator's token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { callerOf, type AppEnv, type Deps } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import { policyState } from './policy.ts';

/** After requireAuth, on chunk uploads and snapshot commits. Reads and deletions stay open. */
export function requireWritable(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { accountId } = callerOf(c);
    // Both reads on every upload: side by side, not one after the other.
    const [account, entries] = await Promise.all([deps.meta.getAccount(accountId), deps.meta.privacy.listConsents(accountId)]);
    if (!account || account.status === 'deleted-pending') throw new ApiError('unauthenticated');
    if (account.status === 'suspended') throw new ApiError('account-suspended');
    if (policyState(deps, account, entries).mustAccept) throw new ApiError('policy-not-accepted');
    await next();
  };
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Bearer KURA_OPERATOR_TOKEN; without one configured the operator endpoints do not exist (404). */
export function requireOperator(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const expected = deps.config.privacy.operatorToken;
    if (!expected) throw new ApiError('not-found');
    const given = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
    // Digests of both, compared in constant time: the token's length does not leak either.
    if (!timingSafeEqual(digest(given), digest(expected))) throw new ApiError('operator-unauthorized');
    await next();
  };
}
