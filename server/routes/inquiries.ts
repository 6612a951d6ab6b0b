/**
 * Inquiries: a user sends one (category, message, optional attachments as base64url in the JSON
 * body, at most KURA_INQUIRY_MAX_ATTACHMENTS of KURA_INQUIRY_MAX_ATTACHMENT_BYTES each) and sees
 * their own with status and replies; the operator (its token) lists all, replies, sets status,
 * and reads the mail outbox (privacy/mailer.ts).
 */
import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import * as z from 'zod';
import { fromBase64Url } from '../../src/core/bytes.ts';
import { createInquiryRequest, inquiryIdSchema, operatorInquiryQuery, operatorReplyRequest, operatorStatusRequest } from '../../src/core/protocol.ts';
import { callerOf, type AppContext, type AppEnv, type Deps } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import { pathParam, readJson } from '../http/json.ts';
import type { InquiryRecord } from '../storage/privacy-ports.ts';
import type { RouteAdder } from './route.ts';

const user = ({ accountId: _a, ...rest }: InquiryRecord) => rest;

export function inquiryRoutes(route: RouteAdder, deps: Deps, requireAuth: MiddlewareHandler<AppEnv>, requireOperator: MiddlewareHandler<AppEnv>): void {
  const { meta, config } = deps;
  const { inquiryMaxAttachments: maxFiles, inquiryMaxAttachmentBytes: maxBytes } = config.privacy;
  // Base64 is 4/3 of the bytes; the rest of the body is bounded by the usual JSON limit.
  const bodyLimit = config.maxJsonBytes + Math.ceil((maxFiles * maxBytes * 4) / 3) + 1024;

  const attachment = async (c: AppContext, accountId: string | null) => {
    const id = pathParam(inquiryIdSchema, c.req.param('id'));
    const index = pathParam(z.coerce.number().int().nonnegative(), c.req.param('index'));
    const file = await meta.privacy.getInquiryAttachment(id, index, accountId as never);
    if (!file) throw new ApiError('not-found');
    c.header('Content-Type', 'application/octet-stream'); // never rendered by the browser as sent
    c.header('Content-Disposition', `attachment; filename="attachment-${index}"`);
    return c.body(file.bytes as Uint8Array<ArrayBuffer>);
  };

  route('POST', '/inquiries', requireAuth, async (c) => {
    const { accountId } = callerOf(c);
    const body = await readJson(c, createInquiryRequest, bodyLimit);
    const files = (body.attachments ?? []).map((a) => ({ name: a.name, type: a.type, bytes: fromBase64Url(a.data)! }));
    if (files.length > maxFiles) throw new ApiError('invalid-request', { reason: `at most ${maxFiles} attachments` });
    if (files.some((f) => f.bytes.length > maxBytes)) throw new ApiError('too-large', { maxBytes });
    const now = deps.now();
    const inquiry = {
      id: randomBytes(16).toString('hex'),
      accountId,
      category: body.category,
      status: 'open' as const,
      createdAt: now,
      updatedAt: now,
      messages: [{ author: 'user' as const, body: body.message, time: now }],
    };
    await meta.privacy.createInquiry(inquiry, files);
    const stored = await meta.privacy.getInquiry(inquiry.id, accountId);
    if (!stored) throw new ApiError('internal');
    return c.json(user(stored), 201);
  });

  route('GET', '/inquiries', requireAuth, async (c) => {
    return c.json({ inquiries: (await meta.privacy.listInquiries(callerOf(c).accountId)).map(user) });
  });

  route('GET', '/inquiries/:id', requireAuth, async (c) => {
    const found = await meta.privacy.getInquiry(pathParam(inquiryIdSchema, c.req.param('id')), callerOf(c).accountId);
    if (!found) throw new ApiError('not-found');
    return c.json(user(found));
  });

  route('GET', '/inquiries/:id/attachments/:index', requireAuth, (c) => attachment(c, callerOf(c).accountId));

  route('GET', '/operator/inquiries', requireOperator, async (c) => {
    const query = operatorInquiryQuery.safeParse(c.req.query());
    if (!query.success) throw new ApiError('invalid-request', { reason: 'status must be open, answered or closed' });
    return c.json({ inquiries: await meta.privacy.listInquiries(null, query.data.status) });
  });

  route('GET', '/operator/inquiries/:id/attachments/:index', requireOperator, (c) => attachment(c, null));

  route('POST', '/operator/inquiries/:id/reply', requireOperator, async (c) => {
    const id = pathParam(inquiryIdSchema, c.req.param('id'));
    const body = await readJson(c, operatorReplyRequest, config.maxJsonBytes);
    const message = { author: 'operator' as const, body: body.message, time: deps.now() };
    if (!(await meta.privacy.addInquiryMessage(id, message, body.status ?? 'answered'))) throw new ApiError('not-found');
    return c.json(await meta.privacy.getInquiry(id, null));
  });

  route('POST', '/operator/inquiries/:id/status', requireOperator, async (c) => {
    const id = pathParam(inquiryIdSchema, c.req.param('id'));
    const { status } = await readJson(c, operatorStatusRequest, config.maxJsonBytes);
    if (!(await meta.privacy.setInquiryStatus(id, status, deps.now()))) throw new ApiError('not-found');
    return c.json(await meta.privacy.getInquiry(id, null));
  });

  route('GET', '/operator/outbox', requireOperator, async (c) => {
    const messages = await meta.privacy.listOutbox(500);
    return c.json({ messages: messages.map(({ accountId: _a, ...m }) => m) });
  });
}
