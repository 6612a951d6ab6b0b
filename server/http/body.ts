/**
 * Reading an upload's raw body with a size cap, hashing it as it arrives.
 *
 * Under Node the bytes are read straight from the IncomingMessage into one buffer of the declared
 * Content-Length: the web-stream adapter would copy every piece several times, and on a 2-vCPU
 * host those copies (and the garbage they leave) cost more than the fsync that follows. Without a
 * Node request (another runtime, or no Content-Length) the web stream is read with the same cap.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Bytes } from '../../src/core/bytes.ts';
import type { AppContext } from './context.ts';
import { ApiError } from './errors.ts';

export interface ReadBody {
  readonly bytes: Bytes;
  /** SHA-256 of the bytes. */
  readonly sha256: Buffer;
}

export async function readBody(c: AppContext, maxBytes: number): Promise<ReadBody> {
  const declared = c.req.header('content-length');
  const length = declared === undefined ? undefined : Number(declared);
  if (length !== undefined && (!Number.isSafeInteger(length) || length < 0)) {
    throw new ApiError('invalid-request', { reason: 'bad Content-Length' });
  }
  if (length !== undefined && length > maxBytes) throw new ApiError('too-large', { maxBytes });
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  try {
    return await (incoming && length !== undefined ? readIncoming(incoming, length) : readWebStream(c.req.raw, maxBytes));
  } catch (e) {
    if (e instanceof ApiError) throw e;
    // The client went away mid-body (a phone losing its network): nothing was stored.
    throw new ApiError('invalid-request', { reason: 'the connection closed before the whole body arrived' });
  }
}

async function readIncoming(incoming: IncomingMessage, length: number): Promise<ReadBody> {
  const buffer = Buffer.allocUnsafe(length);
  const hash = createHash('sha256');
  let at = 0;
  for await (const piece of incoming as AsyncIterable<Buffer>) {
    if (at + piece.length > length) throw new ApiError('invalid-request', { reason: 'body longer than Content-Length' });
    piece.copy(buffer, at);
    hash.update(piece);
    at += piece.length;
  }
  if (at !== length) throw new ApiError('invalid-request', { reason: 'body shorter than Content-Length' });
  return { bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, length) as Bytes, sha256: hash.digest() };
}

async function readWebStream(request: Request, maxBytes: number): Promise<ReadBody> {
  const pieces: Uint8Array[] = [];
  const hash = createHash('sha256');
  let total = 0;
  if (request.body) {
    for await (const piece of request.body as unknown as AsyncIterable<Uint8Array>) {
      total += piece.length;
      if (total > maxBytes) throw new ApiError('too-large', { maxBytes });
      hash.update(piece);
      pieces.push(piece);
    }
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const piece of pieces) {
    bytes.set(piece, at);
    at += piece.length;
  }
  return { bytes, sha256: hash.digest() };
}
