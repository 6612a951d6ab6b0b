/**
 * Retrying a request, for idempotent requests only (STYLE.md 10): exponential backoff with full
 * jitter (sleep a random time up to base·2^attempt, capped), honouring a server's Retry-After.
 * What is worth retrying: the network was unreachable, the server failed (5xx, except a corrupt
 * object and a full quota, which asking again will not change), or it asked us to slow down (429).
 */
import { isKuraError } from '../../core/errors.ts';

export interface RetryOptions {
  /** Attempts after the first (default 4). */
  readonly retries?: number;
  readonly baseMs?: number;
  readonly maxMs?: number;
  /** Injected for tests; defaults to setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly signal?: AbortSignal;
}

export function isRetryable(e: unknown): boolean {
  if (!isKuraError(e)) return false;
  if (e.code === 'network-unavailable' || e.code === 'rate-limited') return true;
  const status = e.details.status;
  return typeof status === 'number' && status >= 500 && e.code !== 'object-corrupt' && e.code !== 'quota-exceeded';
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withRetry<T>(attempt: (n: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { retries = 4, baseMs = 500, maxMs = 30_000, sleep = defaultSleep, random = Math.random, signal } = options;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (e) {
      if (n >= retries || !isRetryable(e) || signal?.aborted) throw e;
      const retryAfter = isKuraError(e) ? e.details.retryAfterSeconds : undefined;
      const backoff = random() * Math.min(maxMs, baseMs * 2 ** n);
      await sleep(typeof retryAfter === 'number' ? Math.max(backoff, retryAfter * 1000) : backoff);
    }
  }
}
