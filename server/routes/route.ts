import type { Handler, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/context.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Registers a handler under /api/v1 and names it for the access log ("PUT /chunks/:id"). */
export type RouteAdder = (
  method: Method,
  path: string,
  ...handlers: [...MiddlewareHandler<AppEnv>[], Handler<AppEnv>]
) => void;
