/** Cross-cutting middleware: client address, access log, authentication, rate limits. */
import type { MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { hashToken } from '../auth.ts';
import type { AppEnv, Deps } from './context.ts';
import { ApiError } from './errors.ts';

/** The client address: the socket's, or X-Forwarded-For's first hop behind a trusted proxy. */
export function clientAddress(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // Behind a trusted proxy, the address is the last hop of X-Forwarded-For: the one that proxy
    // saw. Earlier entries came with the request and are whatever the client chose to send.
    const forwarded = deps.config.trustProxy ? c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim() : undefined;
    let socket = 'unknown';
    try {
      socket = getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      // app.request() in tests has no socket
    }
    c.set('ip', forwarded || socket);
    c.set('caller', undefined);
    await next();
  };
}

/**
 * One access-log row per request, written after the response: time, IP, device, the route's
 * pattern and the status. Never a token, key, query or body.
 */
export function accessLog(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const time = deps.now();
    try {
      await next();
    } finally {
      const caller = c.get('caller');
      await deps.meta
        .appendAccessLog({
          time,
          ip: c.get('ip'),
          accountId: caller?.accountId ?? null,
          deviceId: caller?.deviceId ?? null,
          route: c.get('route') ?? (c.req.path.startsWith('/api/') ? `${c.req.method} (unknown)` : `${c.req.method} (app)`),
          status: c.res.status,
        })
        .catch((e: unknown) => console.error('access log write failed:', e));
    }
  };
}

const TOKEN = /^Bearer ([A-Za-z0-9_-]{43})$/;
const TOUCH_EVERY_MS = 60_000;

/** Requires a live session: a bearer token whose session has not expired and whose device exists. */
export function requireAuth(deps: Deps): MiddlewareHandler<AppEnv> {
  const lastTouch = new Map<string, number>();
  return async (c, next) => {
    const token = TOKEN.exec(c.req.header('authorization') ?? '')?.[1];
    if (!token) throw new ApiError('unauthenticated');
    const tokenHash = hashToken(token);
    const session = await deps.meta.getSession(tokenHash);
    const now = deps.now();
    if (!session || session.expiresAt <= now) throw new ApiError('unauthenticated');
    c.set('caller', { accountId: session.accountId, deviceId: session.deviceId, tokenHash });
    // lastSeenAt is for the devices screen: minute precision spares a write per request.
    const key = `${session.accountId}/${session.deviceId}`;
    if (now - (lastTouch.get(key) ?? 0) > TOUCH_EVERY_MS) {
      lastTouch.set(key, now);
      await deps.meta.touchDevice(session.accountId, session.deviceId, now);
    }
    await next();
  };
}

/** Counts an attempt against each key; over the limit → 429 with Retry-After. */
export async function enforceRateLimit(
  deps: Deps,
  limits: readonly { key: string; max: number; windowMs: number }[],
): Promise<void> {
  const now = deps.now();
  for (const { key, max, windowMs } of limits) {
    const count = await deps.meta.hitRateLimit(key, windowMs, now);
    if (count > max) throw new ApiError('rate-limited', { retryAfterSeconds: Math.ceil((windowMs - (now % windowMs)) / 1000) });
  }
}
