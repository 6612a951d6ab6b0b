/**
 * The policy as this deployment serves it: the versions (core's, or a test's), filled in with the
 * operator and retention periods from configuration, and what an account's ledger says about them.
 *
 * [Note: Policy acceptance] Sync writes need the newest significant version in force to be
 * accepted. Accepted means: the account's latest service-operation entry is a grant for that
 * version or a later one; or, with no service-operation entry at all, the account was registered
 * on or after that version took effect (registering is done on the screen that shows it, and the
 * app records the grant right after). A withdrawn service-operation consent stops sync writes too.
 */
import { currentConsents, type ConsentEntry } from '../../src/core/policy/ledger.ts';
import { renderPolicy } from '../../src/core/policy/render.ts';
import type { PolicyFacts, PolicyLanguage, PolicyVersion, RenderedPolicy } from '../../src/core/policy/types.ts';
import { currentVersion, effectiveAt, findVersion, latestSignificant, POLICY_VERSIONS } from '../../src/core/policy/versions.ts';
import { policyQuery } from '../../src/core/protocol.ts';
import type { ServerConfig } from '../config.ts';
import type { Deps } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import type { AccountRecord } from '../storage/ports.ts';

/** The `lang` a policy or receipt request asks for (undefined: every language, or the default). */
export function policyLanguageOf(query: Record<string, string>): PolicyLanguage | undefined {
  const parsed = policyQuery.safeParse(query);
  if (!parsed.success) throw new ApiError('invalid-request', { reason: 'lang must be en or ja' });
  return parsed.data.lang;
}

export function policiesOf(deps: Pick<Deps, 'policies'>): readonly PolicyVersion[] {
  return deps.policies ?? POLICY_VERSIONS;
}

function policyFacts(config: ServerConfig): PolicyFacts {
  const p = config.privacy;
  return {
    operatorName: p.operator.name,
    operatorAddress: p.operator.address,
    operatorEmail: p.operator.email,
    deletionRetentionDays: p.deletionRetentionDays,
    accessLogRetentionDays: p.accessLogRetentionDays,
    sessionDays: Math.round(config.sessionTtlMs / 86_400_000),
  };
}

const cache = new WeakMap<Deps, Map<string, Promise<RenderedPolicy>>>();

/** A version rendered for this deployment (memoized per Deps: the facts do not change while it runs). */
export function rendered(deps: Deps, v: PolicyVersion, lang?: PolicyLanguage): Promise<RenderedPolicy> {
  let byKey = cache.get(deps);
  if (!byKey) cache.set(deps, (byKey = new Map()));
  const key = `${v.version}/${lang ?? '*'}`;
  let found = byKey.get(key);
  if (!found) byKey.set(key, (found = renderPolicy(v, policyFacts(deps.config), lang)));
  return found;
}

export function versionOf(deps: Deps, version: number): PolicyVersion | undefined {
  return findVersion(policiesOf(deps), version);
}

export interface PolicyState {
  readonly currentVersion: number;
  readonly acceptedVersion: number | null;
  readonly mustAccept: boolean;
}

export function policyState(deps: Deps, account: Pick<AccountRecord, 'createdAt'>, entries: readonly ConsentEntry[]): PolicyState {
  const versions = policiesOf(deps);
  const now = deps.now();
  const required = latestSignificant(versions, now);
  const service = currentConsents(entries).get('service-operation');
  const acceptedVersion = service?.action === 'granted' ? service.policyVersion : null;
  let mustAccept: boolean;
  if (service) mustAccept = acceptedVersion === null || (required !== undefined && acceptedVersion < required.version);
  else mustAccept = required !== undefined && account.createdAt < effectiveAt(required);
  return { currentVersion: currentVersion(versions, now).version, acceptedVersion, mustAccept };
}
