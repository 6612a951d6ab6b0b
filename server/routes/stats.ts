/**
 * Usage statistics, opt-in: POST /stats adds one report's counters to the day's totals, at most
 * once a day per account, only while the ledger grants usage-statistics. The report itself is not
 * kept, and nothing stored links the totals to the account or its address: the once-a-day rule
 * is kept with an HMAC of (account, day) under the server secret, forgotten after the day.
 * GET /operator/stats shows the totals to the operator.
 */
import { createHmac } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import * as z from 'zod';
import { isGranted } from '../../src/core/policy/ledger.ts';
import { usageStatsReport, type UsageStatsReport } from '../../src/core/protocol.ts';
import { callerOf, type AppEnv, type Deps } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import { readJson } from '../http/json.ts';
import type { RouteAdder } from './route.ts';

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A report as counter names and values; zeros are left out (they add nothing). */
function countersOf(r: UsageStatsReport): Record<string, number> {
  const out: Record<string, number> = { reports: 1, backupsRun: r.backupsRun, [`app:${r.appVersion}`]: 1, [`browser:${r.browserFamily}`]: 1 };
  for (const [size, n] of Object.entries(r.filesBySize)) out[`files:${size}`] = n;
  for (const [code, n] of Object.entries(r.errors)) out[`error:${code}`] = n;
  return Object.fromEntries(Object.entries(out).filter(([, n]) => n > 0));
}

export function statsRoutes(route: RouteAdder, deps: Deps, requireAuth: MiddlewareHandler<AppEnv>, requireOperator: MiddlewareHandler<AppEnv>): void {
  const { meta, config } = deps;

  route('POST', '/stats', requireAuth, async (c) => {
    const { accountId } = callerOf(c);
    if (!isGranted(await meta.privacy.listConsents(accountId), 'usage-statistics')) throw new ApiError('consent-required', { purpose: 'usage-statistics' });
    const report = await readJson(c, usageStatsReport, config.maxJsonBytes);
    const day = dayOf(deps.now());
    // The marker names the day, so yesterday's cannot refuse today's report; maintenance prunes
    // them (main.ts), not every request.
    const marker = createHmac('sha256', deps.secret).update(`kura/v1/stats-marker/${accountId}/${day}`).digest('hex');
    if (!(await meta.privacy.recordStats(marker, day, countersOf(report)))) throw new ApiError('stats-already-sent');
    return c.body(null, 204);
  });

  route('GET', '/operator/stats', requireOperator, async (c) => {
    const query = z
      .strictObject({ from: z.string().regex(DAY).optional(), to: z.string().regex(DAY).optional() })
      .safeParse(c.req.query());
    if (!query.success) throw new ApiError('invalid-request', { reason: 'from and to are YYYY-MM-DD' });
    const to = query.data.to ?? dayOf(deps.now());
    const from = query.data.from ?? dayOf(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000);
    const days = new Map<string, Record<string, number>>();
    for (const r of await meta.privacy.statsSummary(from, to)) {
      const counters = days.get(r.day) ?? {};
      counters[r.name] = r.value;
      days.set(r.day, counters);
    }
    return c.json({ days: [...days].map(([day, counters]) => ({ day, counters })) });
  });
}
