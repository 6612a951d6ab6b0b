/**
 * The Kura server as a Hono app: `/api/v1` (src/core/protocol.ts) and the built PWA, from one
 * process. createApp takes its stores and clock as parameters so tests run it on any backend.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Hono, type MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';
import { HTTPException } from 'hono/http-exception';
import { serveStatic } from '@hono/node-server/serve-static';
import { API_PREFIX } from '../src/core/protocol.ts';
import type { AppEnv, Deps } from './http/context.ts';
import { ApiError } from './http/errors.ts';
import { accessLog, clientAddress, requireAuth } from './http/middleware.ts';
import { securityHeaders } from './http/security.ts';
import { requireOperator, requireWritable } from './privacy/guards.ts';
import { accountRoutes, accountViewer } from './routes/accounts.ts';
import { consentRoutes } from './routes/consents.ts';
import { deletionRoutes } from './routes/deletion.ts';
import { externalRoutes } from './routes/external.ts';
import { inquiryRoutes } from './routes/inquiries.ts';
import { policyRoutes } from './routes/policy.ts';
import { rightsRoutes } from './routes/rights.ts';
import { statsRoutes } from './routes/stats.ts';
import { chunkRoutes } from './routes/chunks.ts';
import { deviceRoutes } from './routes/devices.ts';
import type { RouteAdder } from './routes/route.ts';
import { snapshotRoutes } from './routes/snapshots.ts';

export function createApp(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', clientAddress(deps), securityHeaders, accessLog(deps));

  // Bodies are read by readBody/readJson with each route's limit (http/body.ts), never unbounded.
  const route: RouteAdder = (method, path, ...handlers) => {
    const name = `${method} ${path}`;
    const named: MiddlewareHandler<AppEnv> = async (c, next) => {
      c.set('route', name);
      await next();
    };
    app.on(method, API_PREFIX + path, named, ...(handlers as MiddlewareHandler<AppEnv>[]));
  };

  route('GET', '/health', (c) => c.json({ ok: true, version: deps.config.version }));
  const auth = requireAuth(deps);
  const writable = requireWritable(deps);
  const operator = requireOperator(deps);
  accountRoutes(route, deps, auth);
  deviceRoutes(route, deps, auth);
  chunkRoutes(route, deps, auth, writable);
  snapshotRoutes(route, deps, auth, writable);
  // Privacy (issue 7): server/README.md, "Privacy: what Kura holds, where, for how long".
  policyRoutes(route, deps);
  consentRoutes(route, deps, auth);
  statsRoutes(route, deps, auth, operator);
  rightsRoutes(route, deps, auth, accountViewer(deps));
  deletionRoutes(route, deps, auth);
  inquiryRoutes(route, deps, auth, operator);
  externalRoutes(route, deps, auth);
  app.all(`${API_PREFIX}/*`, () => {
    throw new ApiError('not-found');
  });

  serveApp(app, deps.config.staticDir);

  app.notFound((c) => c.json(new ApiError('not-found').toBody(), 404));
  app.onError((err, c) => {
    if (err instanceof ApiError) {
      const response = c.json(err.toBody(), err.status as 400);
      const retry = err.extra.retryAfterSeconds;
      if (typeof retry === 'number') response.headers.set('Retry-After', String(retry));
      if (mayHaveUnreadBody(c.req.raw)) response.headers.set('Connection', 'close');
      return response;
    }
    if (err instanceof HTTPException && err.status < 500) {
      return c.json(new ApiError('invalid-request').toBody(), 400);
    }
    console.error(`internal error on ${c.get('route') ?? c.req.method}:`, err);
    return c.json(new ApiError('internal').toBody(), 500);
  });
  return app;
}

/**
 * An error answered before a large body was read (too large, not signed in) leaves the rest of the
 * body in flight; closing the connection stops a client from reusing a socket that is still
 * draining it.
 */
function mayHaveUnreadBody(req: Request): boolean {
  const length = Number(req.headers.get('content-length') ?? 0);
  return length > 64 * 1024 || req.headers.has('transfer-encoding');
}

/** The built PWA: hashed assets cached for a year, everything else revalidated; SPA fallback. */
function serveApp(app: Hono<AppEnv>, root: string): void {
  if (!existsSync(join(root, 'index.html'))) return;
  // Scripts, styles and the manifest go out gzip'd (a third of their size); never the API's bodies,
  // which this middleware, registered after the API routes, does not see.
  app.use('*', compress());
  app.use(
    '*',
    serveStatic({
      root,
      onFound: (path, c) => {
        const immutable = path.includes('/assets/');
        c.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  app.get('*', serveStatic({ root, path: 'index.html', onFound: (_p, c) => c.header('Cache-Control', 'no-cache') }));
}
