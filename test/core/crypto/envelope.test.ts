import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { toHex, utf8, type Bytes } from '../../../src/core/bytes.ts';
import { padme } from '../../../src/core/crypto/padme.ts';
import {
  HEADER_BYTES,
  TAG_BYTES,
  envelopeSize,
  openEnvelope,
  sealEnvelope,
  type EnvelopeContext,
} from '../../../src/core/crypto/envelope.ts';
import { openChunk, sealChunk } from '../../../src/core/crypto/chunk.ts';
import { DEFAULT_CHUNKING } from '../../../src/core/chunking/params.ts';
import { codeOf, newAccountKeys, pseudoRandomBytes } from '../helpers.ts';

const keys = await newAccountKeys();
const ctx: EnvelopeContext = { key: keys.chunk, purpose: 'chunk', binding: utf8('binding-a') };
const MAX_TESTED = 3 * DEFAULT_CHUNKING.maxSize;
const source = pseudoRandomBytes(MAX_TESTED + 1, 42);

async function roundTrip(length: number, segmentLog2?: number): Promise<void> {
  const plain = source.subarray(0, length);
  const sealed = await sealEnvelope(ctx, plain, segmentLog2 === undefined ? {} : { segmentLog2 });
  expect(sealed.length).toBe(envelopeSize(length, segmentLog2));
  const opened = await openEnvelope(ctx, sealed);
  expect(opened.length).toBe(length);
  expect(Buffer.compare(opened, plain)).toBe(0);
}

/** Plaintext lengths whose padded size (length + 4-byte prefix) sits on a Padmé bucket edge. */
function padmeEdges(limit: number): number[] {
  const edges: number[] = [];
  for (let padded = 4; padded <= limit + 4; padded = padme(padded + 1)) edges.push(padded - 4);
  return edges;
}

describe('envelope round trip', () => {
  test('sizes 0 and 1', async () => {
    await roundTrip(0);
    await roundTrip(1);
  });

  test('one below, on and one above every Padmé bucket edge up to 3× the max chunk', async () => {
    const edges = padmeEdges(MAX_TESTED);
    expect(edges.length).toBeGreaterThan(400);
    for (const edge of edges) {
      for (const length of [edge - 1, edge, edge + 1]) {
        if (length >= 0 && length <= MAX_TESTED) await roundTrip(length);
      }
    }
  }, 60_000);

  test('any size up to 3× the max chunk, any segment size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer({ min: 0, max: 70_000 }), fc.integer({ min: 0, max: MAX_TESTED })),
        fc.integer({ min: 12, max: 24 }),
        (length, log2) => roundTrip(length, log2),
      ),
      { numRuns: 60 },
    );
  }, 60_000);

  test('the same plaintext seals differently each time (random IV)', async () => {
    const plain = source.subarray(0, 1000);
    expect(toHex(await sealEnvelope(ctx, plain))).not.toBe(toHex(await sealEnvelope(ctx, plain)));
  });
});

describe('envelope tamper battery: every case is a typed error and no plaintext', () => {
  const SEGMENT_LOG2 = 12; // 4 KiB segments, so a 20 KB plaintext has several
  const SEGMENT = 2 ** SEGMENT_LOG2;
  const plain = pseudoRandomBytes(20_000, 3);
  const sealedOnce = sealEnvelope(ctx, plain, { segmentLog2: SEGMENT_LOG2 });
  const segmentAt = (i: number) => HEADER_BYTES + i * (SEGMENT + TAG_BYTES);

  const cases: [string, (e: Bytes) => Bytes, string, EnvelopeContext?][] = [
    ['a bit flipped in the IV', (e) => flip(e, 5), 'envelope-auth-failed'],
    ['a bit flipped in the body', (e) => flip(e, segmentAt(2) + 100), 'envelope-auth-failed'],
    ['a bit flipped in a tag', (e) => flip(e, segmentAt(1) - 1), 'envelope-auth-failed'],
    ['a bit flipped in the last tag', (e) => flip(e, e.length - 1), 'envelope-auth-failed'],
    ['the segment size byte changed', (e) => withByte(e, 1, 13), 'envelope-auth-failed'],
    ['an unknown version', (e) => withByte(e, 0, 2), 'envelope-unsupported-version'],
    ['truncated mid-segment', (e) => e.subarray(0, e.length - 7), 'envelope-auth-failed'],
    ['the last segment dropped', (e) => e.subarray(0, segmentAt(4)), 'envelope-auth-failed'],
    ['truncated to the header', (e) => e.subarray(0, HEADER_BYTES + 3), 'envelope-malformed'],
    ['two segments swapped', (e) => swapSegments(e, segmentAt(1), segmentAt(2), SEGMENT + TAG_BYTES), 'envelope-auth-failed'],
    ['presented under another binding', (e) => e, 'envelope-auth-failed', { ...ctx, binding: utf8('binding-b') }],
    ['presented as another purpose', (e) => e, 'envelope-auth-failed', { ...ctx, purpose: 'thumb' }],
    ['opened with another key', (e) => e, 'envelope-auth-failed', { ...ctx, key: keys.manifest }],
  ];

  test.each(cases)('%s', async (_name, tamper, code, openCtx = ctx) => {
    const sealed = (await sealedOnce).slice();
    expect((sealed.length - HEADER_BYTES) / (SEGMENT + TAG_BYTES)).toBeGreaterThan(4);
    expect(await codeOf(openEnvelope(openCtx, tamper(sealed)))).toBe(code);
  });

  test('a segment spliced in from another envelope of the same key and binding', async () => {
    const a = (await sealedOnce).slice();
    const b = await sealEnvelope(ctx, plain, { segmentLog2: SEGMENT_LOG2 });
    a.set(b.subarray(segmentAt(1), segmentAt(2)), segmentAt(1));
    expect(await codeOf(openEnvelope(ctx, a))).toBe('envelope-auth-failed');
  });

  test('the untampered envelope opens, so the cases above fail for their tamper alone', async () => {
    expect(toHex(await openEnvelope(ctx, (await sealedOnce).slice()))).toBe(toHex(plain));
  });
});

describe('chunk envelopes', () => {
  test('open checks the id as well as the seal', async () => {
    const { id, envelope } = await sealChunk(keys, source.subarray(0, 5000));
    expect(toHex(await openChunk(keys, id, envelope))).toBe(toHex(source.subarray(0, 5000)));
    const other = await sealChunk(keys, source.subarray(1, 5001));
    expect(await codeOf(openChunk(keys, other.id, envelope))).toBe('envelope-auth-failed');
  });

  test('an envelope sealed under the right id for the wrong bytes fails the id check', async () => {
    const { id } = await sealChunk(keys, source.subarray(0, 100));
    const forged = await sealEnvelope({ key: keys.chunk, purpose: 'chunk', binding: Buffer.from(id, 'hex') }, source.subarray(0, 99));
    expect(await codeOf(openChunk(keys, id, new Uint8Array(forged)))).toBe('chunk-id-mismatch');
  });
});

function flip(e: Bytes, at: number): Bytes {
  e[at]! ^= 0x10;
  return e;
}
function withByte(e: Bytes, at: number, value: number): Bytes {
  e[at] = value;
  return e;
}
function swapSegments(e: Bytes, a: number, b: number, length: number): Bytes {
  const first = e.slice(a, a + length);
  e.copyWithin(a, b, b + length);
  e.set(first, b);
  return e;
}

describe('envelopes held in Node Buffers', () => {
  test('open from a Buffer (whose slice() is a view) without altering it', async () => {
    const plain = pseudoRandomBytes(600_000, 12); // three segments
    const sealed = Buffer.from(await sealEnvelope(ctx, plain));
    const before = Buffer.from(sealed);
    expect(Buffer.compare(await openEnvelope(ctx, sealed as unknown as Uint8Array<ArrayBuffer>), plain)).toBe(0);
    expect(sealed.equals(before)).toBe(true);
    const pooled = Buffer.concat([Buffer.alloc(3), sealed]).subarray(3); // a view at an offset
    expect(Buffer.compare(await openEnvelope(ctx, pooled as unknown as Uint8Array<ArrayBuffer>), plain)).toBe(0);
  });
});
