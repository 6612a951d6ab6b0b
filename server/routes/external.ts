/**
 * External services the operator configured (KURA_EXTERNAL_SERVICES; none by default, and the
 * list is then empty). Each connection needs its own `external:<id>` consent in the ledger before
 * it is made; disconnecting deletes what was stored for it. Kura ships no connector: a connection
 * here is the record a connector would build on.
 */
import type { MiddlewareHandler } from 'hono';
import { currentConsents, isGranted } from '../../src/core/policy/ledger.ts';
import { callerOf, type AppContext, type AppEnv, type Deps } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import type { RouteAdder } from './route.ts';

export function externalRoutes(route: RouteAdder, deps: Deps, requireAuth: MiddlewareHandler<AppEnv>): void {
  const { meta, config } = deps;
  const serviceOf = (c: AppContext) => {
    const service = config.privacy.externalServices.find((s) => s.id === c.req.param('id'));
    if (!service) throw new ApiError('not-found');
    return service;
  };

  route('GET', '/external-services', requireAuth, async (c) => {
    const { accountId } = callerOf(c);
    const consents = currentConsents(await meta.privacy.listConsents(accountId));
    const links = new Set((await meta.privacy.listExternalLinks(accountId)).map((l) => l.serviceId));
    return c.json({
      services: config.privacy.externalServices.map((s) => ({
        ...s,
        connected: links.has(s.id),
        consent: consents.get(`external:${s.id}`)?.action ?? 'none',
      })),
    });
  });

  route('POST', '/external-services/:id/connect', requireAuth, async (c) => {
    const { accountId } = callerOf(c);
    const service = serviceOf(c);
    if (!isGranted(await meta.privacy.listConsents(accountId), `external:${service.id}`)) {
      throw new ApiError('consent-required', { purpose: `external:${service.id}` });
    }
    await meta.privacy.putExternalLink(accountId, { serviceId: service.id, data: '{}', createdAt: deps.now() });
    return c.json({ id: service.id, connected: true }, 201);
  });

  route('POST', '/external-services/:id/disconnect', requireAuth, async (c) => {
    const service = serviceOf(c);
    const removed = await meta.privacy.deleteExternalLinks(callerOf(c).accountId, service.id);
    return c.json({ id: service.id, connected: false, removed });
  });
}
