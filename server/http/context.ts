/** What every route gets: the stores, the configuration, a clock, and the authenticated caller. */
import type { KeyObject } from 'node:crypto';
import type { Context } from 'hono';
import type { PolicyVersion } from '../../src/core/policy/types.ts';
import type { Mailer } from '../privacy/mailer.ts';
import type { AccountId, DeviceId } from '../../src/core/ids.ts';
import type { ServerConfig } from '../config.ts';
import type { MetaStore, ObjectStore } from '../storage/ports.ts';

export interface Deps {
  readonly meta: MetaStore;
  readonly objects: ObjectStore;
  readonly config: ServerConfig;
  /** Secret for the unknown-email KDF parameters; stable across restarts. */
  readonly secret: Uint8Array;
  readonly now: () => number;
  /** Ed25519 private key signing deletion receipts (privacy/receipts.ts). */
  readonly receiptKey: KeyObject;
  /** Where confirmation codes go; the outbox (privacy/mailer.ts) when absent. */
  readonly mailer?: Mailer;
  /** The published policy versions; src/core/policy's when absent (tests pass their own). */
  readonly policies?: readonly PolicyVersion[];
}

export interface Caller {
  readonly accountId: AccountId;
  readonly deviceId: DeviceId;
  readonly tokenHash: Uint8Array;
}

export type AppEnv = {
  Variables: {
    /** The route's pattern for the access log, e.g. "PUT /chunks/:id". */
    route: string;
    caller: Caller | undefined;
    ip: string;
  };
};

export type AppContext = Context<AppEnv>;

/** The authenticated caller; routes behind requireAuth always have one. */
export function callerOf(c: AppContext): Caller {
  const caller = c.get('caller');
  if (!caller) throw new Error('requireAuth must run before this route');
  return caller;
}
