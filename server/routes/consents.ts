/**
 * The account's consent ledger: append (the server verifies the chain and links the entry),
 * list with the policy state, verify, and export as a Kantara v1.1 consent receipt.
 */
import type { MiddlewareHandler } from 'hono';
import { chainEntry, GENESIS_HASH, verifyChain } from '../../src/core/policy/ledger.ts';
import { consentReceipt } from '../../src/core/policy/receipt.ts';
import { API_PREFIX, appendConsentRequest } from '../../src/core/protocol.ts';
import { callerOf, type AppEnv, type Deps } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import { readJson } from '../http/json.ts';
import { policyLanguageOf, policyState, rendered, versionOf } from '../privacy/policy.ts';
import type { RouteAdder } from './route.ts';

export function consentRoutes(route: RouteAdder, deps: Deps, requireAuth: MiddlewareHandler<AppEnv>): void {
  const { meta, config } = deps;

  const account = async (c: Parameters<typeof callerOf>[0]) => {
    const found = await meta.getAccount(callerOf(c).accountId);
    if (!found) throw new ApiError('unauthenticated');
    return found;
  };

  route('POST', '/consents', requireAuth, async (c) => {
    const { accountId, deviceId } = callerOf(c);
    const body = await readJson(c, appendConsentRequest, config.maxJsonBytes);
    const version = versionOf(deps, body.policyVersion);
    if (!version) throw new ApiError('invalid-request', { reason: 'policyVersion: no such version' });
    if (body.purpose.startsWith('external:') && body.action === 'granted') {
      const id = body.purpose.slice('external:'.length);
      if (!config.privacy.externalServices.some((s) => s.id === id)) throw new ApiError('invalid-request', { reason: 'purpose: no such external service' });
    }
    const entries = await meta.privacy.listConsents(accountId);
    // The stored chain must itself hold before anything is added after it.
    const check = await verifyChain(entries);
    if (!check.ok) throw new ApiError('consent-chain-broken', { brokenAt: check.brokenAt });
    const head = entries.at(-1);
    if (body.prevHash !== (head?.hash ?? GENESIS_HASH)) throw new ApiError('consent-chain-broken', { head: head?.hash ?? GENESIS_HASH });
    const entry = await chainEntry(head, {
      purpose: body.purpose,
      action: body.action,
      policyVersion: version.version,
      policyHash: (await rendered(deps, version)).hash,
      time: deps.now(),
      deviceId,
      screenVersion: body.screenVersion,
    });
    // Another device appended in between: the store refuses the stale link.
    if ((await meta.privacy.appendConsent(accountId, entry)) !== 'ok') throw new ApiError('consent-chain-broken', { head: head?.hash ?? GENESIS_HASH });
    return c.json({ entry, policy: policyState(deps, await account(c), [...entries, entry]) }, 201);
  });

  route('GET', '/consents', requireAuth, async (c) => {
    const entries = await meta.privacy.listConsents(callerOf(c).accountId);
    return c.json({ entries, policy: policyState(deps, await account(c), entries) });
  });

  route('GET', '/consents/verify', requireAuth, async (c) => {
    return c.json(await verifyChain(await meta.privacy.listConsents(callerOf(c).accountId)));
  });

  route('GET', '/consents/receipt', requireAuth, async (c) => {
    const language = policyLanguageOf(c.req.query()) ?? 'en';
    const { accountId } = callerOf(c);
    const { operator, jurisdiction, externalServices } = config.privacy;
    const receipt = consentReceipt(await meta.privacy.listConsents(accountId), {
      jurisdiction,
      language,
      piiPrincipalId: accountId,
      controller: operator,
      policyUrl: `${API_PREFIX}/policy`,
      externalNames: Object.fromEntries(externalServices.map((s) => [s.id, s.name])),
    });
    if (!receipt) throw new ApiError('not-found');
    c.header('Content-Disposition', 'attachment; filename="kura-consent-receipt.json"');
    return c.json(receipt);
  });
}
