/**
 * Chunk envelopes: which are missing, upload (idempotent, digest-checked, durable before the
 * answer), download (whole or a range, never bytes that fail their recorded digest).
 */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Bytes } from '../../src/core/bytes.ts';
import type { AccountId, ChunkId } from '../../src/core/ids.ts';
import { chunkIdSchema, contentDigestHeader, missingChunksRequest, parseContentDigest } from '../../src/core/protocol.ts';
import { callerOf, type AppEnv, type Deps } from '../http/context.ts';
import { readBody } from '../http/body.ts';
import { ApiError } from '../http/errors.ts';
import { pathParam, readJson } from '../http/json.ts';
import type { RouteAdder } from './route.ts';

const sha256 = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest();

export function chunkRoutes(
  route: RouteAdder,
  deps: Deps,
  requireAuth: MiddlewareHandler<AppEnv>,
  requireWritable: MiddlewareHandler<AppEnv>,
): void {
  const { meta, objects, config } = deps;

  route('POST', '/chunks/missing', requireAuth, async (c) => {
    const { ids } = await readJson(c, missingChunksRequest, config.maxJsonBytes);
    return c.json({ missing: await meta.missingChunks(callerOf(c).accountId, ids) });
  });

  route('PUT', '/chunks/:id', requireAuth, requireWritable, async (c) => {
    const { accountId } = callerOf(c);
    const id = pathParam(chunkIdSchema, c.req.param('id'));
    const claimed = parseContentDigest(c.req.header('content-digest'));
    if (!claimed) throw new ApiError('digest-required');
    const { bytes: body, sha256: digest } = await readBody(c, config.maxChunkBytes);
    if (body.length === 0) throw new ApiError('invalid-request', { reason: 'empty body' });
    if (digest.toString('base64') !== claimed) throw new ApiError('digest-mismatch');

    const status = await meta.withChunkLock(accountId, id, async () => {
      const existing = await meta.getChunk(accountId, id);
      if (existing && !existing.corrupt) return 200 as const;
      const usage = await meta.usageBytes(accountId);
      const account = await meta.getAccount(accountId);
      if (!account) throw new ApiError('unauthenticated');
      if (usage - (existing?.size ?? 0) + body.length > account.quotaBytes) throw new ApiError('quota-exceeded');
      await objects.put(accountId, id, body); // durable before the row that makes it visible
      await meta.putChunk(accountId, id, { size: body.length, sha256: digest, createdAt: deps.now(), corrupt: false });
      return 201 as const;
    });
    return c.body(null, status);
  });

  route('GET', '/chunks/:id', requireAuth, async (c) => {
    const { accountId } = callerOf(c);
    const id = pathParam(chunkIdSchema, c.req.param('id'));
    const bytes = await readVerified(deps, accountId, id);
    const range = parseRange(c.req.header('range'), bytes.length);
    c.header('Accept-Ranges', 'bytes');
    c.header('Content-Type', 'application/octet-stream');
    if (range === 'unsatisfiable') {
      c.header('Content-Range', `bytes */${bytes.length}`);
      throw new ApiError('range-not-satisfiable');
    }
    if (range) {
      c.header('Content-Range', `bytes ${range.start}-${range.end}/${bytes.length}`);
      return c.body(bytes.subarray(range.start, range.end + 1), 206);
    }
    c.header('Content-Digest', contentDigestHeader(sha256(bytes).toString('base64')));
    return c.body(bytes, 200);
  });
}

/**
 * The stored bytes, checked against the digest recorded at upload. A mismatch or a lost file is
 * reported as an error (and marked, so `missing` lists the chunk for re-upload), never served.
 */
async function readVerified(deps: Deps, accountId: AccountId, id: ChunkId): Promise<Bytes> {
  const record = await deps.meta.getChunk(accountId, id);
  if (!record) throw new ApiError('not-found');
  if (record.corrupt) throw new ApiError('object-corrupt');
  const bytes = await deps.objects.get(accountId, id);
  if (!bytes || !sha256(bytes).equals(record.sha256)) {
    await deps.meta.markCorrupt(accountId, id);
    console.error(`object-corrupt: ${accountId}/${id} ${bytes ? 'digest mismatch' : 'file missing'}`);
    throw new ApiError('object-corrupt');
  }
  return bytes;
}

/** A single byte range (RFC 9110 section 14); multiple ranges or a malformed header: whole object. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (match[2] !== '' && Number(match[2]) < start) return undefined; // invalid: ignored
  }
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}
