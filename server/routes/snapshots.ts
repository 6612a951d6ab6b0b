/** Snapshots: commit (after every referenced chunk is stored), list, fetch, delete. */
import type { MiddlewareHandler } from 'hono';
import { fromBase64Url, toBase64Url } from '../../src/core/bytes.ts';
import { createSnapshotRequest, snapshotIdSchema, snapshotListQuery } from '../../src/core/protocol.ts';
import { callerOf, type AppEnv, type Deps } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import { pathParam, readJson } from '../http/json.ts';
import type { SnapshotInfo } from '../storage/ports.ts';
import type { RouteAdder } from './route.ts';

const summary = (s: SnapshotInfo) => ({
  id: s.id,
  kind: s.kind,
  deviceId: s.deviceId,
  counter: s.counter,
  createdAt: s.createdAt,
  bytes: s.bytes,
  chunkCount: s.chunkCount,
});

export function snapshotRoutes(
  route: RouteAdder,
  deps: Deps,
  requireAuth: MiddlewareHandler<AppEnv>,
  requireWritable: MiddlewareHandler<AppEnv>,
): void {
  const { meta, config } = deps;
  route('POST', '/snapshots', requireAuth, requireWritable, async (c) => {
    const { accountId, deviceId } = callerOf(c);
    const body = await readJson(c, createSnapshotRequest, config.maxSnapshotBytes);
    if (body.deviceId !== deviceId) throw new ApiError('device-mismatch');
    const sealed = fromBase64Url(body.sealed)!;
    const account = await meta.getAccount(accountId);
    if (!account) throw new ApiError('unauthenticated');
    if ((await meta.usageBytes(accountId)) + sealed.length > account.quotaBytes) throw new ApiError('quota-exceeded');
    const record = { id: body.id, kind: body.kind, deviceId, counter: body.counter, createdAt: deps.now(), sealed };
    const result = await meta.commitSnapshot(accountId, record, body.refs);
    if (result.kind === 'missing') throw new ApiError('missing-chunks', { missing: result.missing });
    if (result.kind === 'exists') throw new ApiError('snapshot-exists');
    if (result.kind === 'stale-counter') throw new ApiError('stale-counter');
    const stored = await meta.getSnapshot(accountId, body.id);
    if (!stored) throw new ApiError('internal');
    return c.json(summary(stored), 201);
  });

  route('GET', '/snapshots', requireAuth, async (c) => {
    const query = snapshotListQuery.safeParse(c.req.query());
    if (!query.success) throw new ApiError('invalid-request', { reason: 'kind must be files or records; deviceId 32 hex' });
    const filter = {
      ...(query.data.kind ? { kind: query.data.kind } : {}),
      ...(query.data.deviceId ? { deviceId: query.data.deviceId } : {}),
    };
    return c.json({ snapshots: (await meta.listSnapshots(callerOf(c).accountId, filter)).map(summary) });
  });

  route('GET', '/snapshots/:id', requireAuth, async (c) => {
    const id = pathParam(snapshotIdSchema, c.req.param('id'));
    const found = await meta.getSnapshot(callerOf(c).accountId, id);
    if (!found) throw new ApiError('not-found');
    return c.json({ ...summary(found), sealed: toBase64Url(found.sealed) });
  });

  route('DELETE', '/snapshots/:id', requireAuth, async (c) => {
    const id = pathParam(snapshotIdSchema, c.req.param('id'));
    if (!(await meta.deleteSnapshot(callerOf(c).accountId, id, deps.now()))) throw new ApiError('not-found');
    return c.body(null, 204);
  });
}
