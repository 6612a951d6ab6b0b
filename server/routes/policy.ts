/**
 * The privacy policy and terms, every version, for anyone (no session): GET /policy[/:version].
 * With it, the optional external connections this server offers, which the first-run consent
 * step lists as purposes of their own before there is an account to ask GET /external-services.
 */
import * as z from 'zod';
import type { PolicyResponse } from '../../src/core/protocol.ts';
import type { PolicyLanguage, PolicyVersion } from '../../src/core/policy/types.ts';
import { currentVersion } from '../../src/core/policy/versions.ts';
import type { Deps } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import { pathParam } from '../http/json.ts';
import { policiesOf, policyLanguageOf, rendered, versionOf } from '../privacy/policy.ts';
import type { RouteAdder } from './route.ts';

export function policyRoutes(route: RouteAdder, deps: Deps): void {
  const answer = async (v: PolicyVersion, lang: PolicyLanguage | undefined): Promise<PolicyResponse> => {
    const versions = policiesOf(deps);
    const r = await rendered(deps, v, lang);
    return {
      version: r.version,
      date: r.date,
      significant: r.significant,
      hash: r.hash,
      current: currentVersion(versions, deps.now()).version === v.version,
      languages: r.languages as PolicyResponse['languages'],
      versions: versions.map((x) => ({ version: x.version, date: x.date, significant: x.significant })),
      externalServices: deps.config.privacy.externalServices.map(({ id, name, description, dataShared }) => ({ id, name, description, dataShared })),
    };
  };

  route('GET', '/policy', async (c) => c.json(await answer(currentVersion(policiesOf(deps), deps.now()), policyLanguageOf(c.req.query()))));

  route('GET', '/policy/:version', async (c) => {
    const number = pathParam(z.coerce.number().int().positive(), c.req.param('version'));
    const v = versionOf(deps, number);
    if (!v) throw new ApiError('not-found');
    return c.json(await answer(v, policyLanguageOf(c.req.query())));
  });
}
