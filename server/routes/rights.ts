/**
 * The user's rights over what the server holds: disclosure (export), correction (a confirmed
 * email change), suspension and resumption, and reading the access log. Deletion is deletion.ts.
 */
import { createHash, randomInt } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { accessLogQuery, emailChangeRequest, emailConfirmRequest } from '../../src/core/protocol.ts';
import { callerOf, type AppEnv, type Deps } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import { readJson } from '../http/json.ts';
import { enforceRateLimit } from '../http/middleware.ts';
import { buildExport } from '../privacy/export.ts';
import { outboxMailer } from '../privacy/mailer.ts';
import type { AccessLogEntry } from '../storage/ports.ts';
import type { RouteAdder } from './route.ts';

const HOUR = 3_600_000;
const CODE_TTL_MS = HOUR;
/** Wrong codes allowed per account per hour: 10 tries at a 10^8 space is no real chance. */
const CONFIRM_TRIES_PER_HOUR = 10;
const codeHash = (code: string): Uint8Array => createHash('sha256').update(code).digest();

function csv(entries: readonly AccessLogEntry[]): string {
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = ['time,ip,deviceId,route,status'];
  for (const e of entries) lines.push([new Date(e.time).toISOString(), e.ip, e.deviceId ?? '', e.route, String(e.status)].map(cell).join(','));
  return `${lines.join('\n')}\n`;
}

export function rightsRoutes(route: RouteAdder, deps: Deps, requireAuth: MiddlewareHandler<AppEnv>, accountView: (id: string) => Promise<unknown>): void {
  const { meta, config } = deps;
  const mailer = deps.mailer ?? outboxMailer(meta, deps.now);

  route('GET', '/account/export', requireAuth, async (c) => {
    const archive = await buildExport(deps, callerOf(c).accountId);
    c.header('Content-Disposition', `attachment; filename="kura-export-${new Date(deps.now()).toISOString().slice(0, 10)}.json"`);
    return c.json(archive);
  });

  route('POST', '/account/email', requireAuth, async (c) => {
    const { accountId } = callerOf(c);
    const { email } = await readJson(c, emailChangeRequest, config.maxJsonBytes);
    await enforceRateLimit(deps, [{ key: `email-change:${accountId}`, max: 5, windowMs: HOUR }]);
    const owner = await meta.getAccountByEmail(email);
    if (owner && owner.id !== accountId) throw new ApiError('email-taken');
    const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
    const expiresAt = deps.now() + CODE_TTL_MS;
    await meta.privacy.putEmailChange(accountId, { email, codeHash: codeHash(code), expiresAt });
    // To the new address: the code proves the person can receive mail there.
    await mailer.send({
      accountId,
      to: email,
      subject: 'Confirm your new email address for Kura',
      body: `Your confirmation code is ${code}. It expires in one hour. If you did not ask to change your email address, ignore this message.`,
    });
    return c.json({ pendingEmail: email, expiresAt }, 202);
  });

  route('POST', '/account/email/confirm', requireAuth, async (c) => {
    const { accountId } = callerOf(c);
    const { code } = await readJson(c, emailConfirmRequest, config.maxJsonBytes);
    await enforceRateLimit(deps, [{ key: `email-confirm:${accountId}`, max: CONFIRM_TRIES_PER_HOUR, windowMs: HOUR }]);
    const pending = await meta.privacy.getEmailChange(accountId);
    const matches = pending !== undefined && Buffer.from(codeHash(code)).equals(Buffer.from(pending.codeHash));
    if (!pending || !matches || pending.expiresAt <= deps.now()) throw new ApiError('confirmation-invalid');
    const result = await meta.updateEmail(accountId, pending.email);
    if (result !== 'ok') throw new ApiError(result);
    await meta.privacy.deleteEmailChange(accountId);
    return c.json(await accountView(accountId));
  });

  route('POST', '/account/suspend', requireAuth, async (c) => {
    const { accountId, tokenHash } = callerOf(c);
    if (!(await meta.privacy.setSuspended(accountId, true))) throw new ApiError('not-found');
    // The calling device keeps its session, so the user can resume from it.
    await meta.privacy.endSessionsExcept(accountId, tokenHash);
    return c.json(await accountView(accountId));
  });

  route('POST', '/account/resume', requireAuth, async (c) => {
    const { accountId } = callerOf(c);
    if (!(await meta.privacy.setSuspended(accountId, false))) throw new ApiError('not-found');
    return c.json(await accountView(accountId));
  });

  route('GET', '/account/access-log', requireAuth, async (c) => {
    const parsed = accessLogQuery.safeParse(c.req.query());
    if (!parsed.success) throw new ApiError('invalid-request', { reason: `${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}` });
    const { format, ...query } = parsed.data;
    const { entries, total } = await meta.privacy.queryAccessLog(callerOf(c).accountId, query);
    if (format === 'csv') {
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', 'attachment; filename="kura-access-log.csv"');
      return c.body(csv(entries));
    }
    const next = query.offset + entries.length;
    return c.json({ entries: entries.map(({ accountId: _a, ...e }) => e), total, nextOffset: next < total ? next : null });
  });
}
