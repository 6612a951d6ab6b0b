/**
 * Sealed envelopes: how every chunk, manifest, record set and thumbnail is stored off the device.
 *
 * [Note: Envelope format v1]
 * Frozen layout (changing any of it needs a new version byte):
 *   header  [0] version = 0x01
 *           [1] log2 of the segment size S (12..24; default 18, 256 KiB)
 *           [2..14) 96-bit random IV
 *   body    n segments, each AES-256-GCM(ciphertext ‖ 16-byte tag) of S bytes of the padded
 *           plaintext (the last may be shorter).
 * Padded plaintext = u32 big-endian length L ‖ the L bytes ‖ zeros up to Padmé(4 + L).
 * Segment i uses IV ⊕ i (in the last 32 bits) and AAD =
 *   purpose tag ‖ 0x00 ‖ u8 binding length ‖ binding ‖ header ‖ u32 i ‖ u8 (1 if last else 0).
 * So a segment cannot be dropped, reordered, moved to another envelope or id, and the envelope
 * cannot be truncated at a segment edge (the new last segment was sealed as "not last"): this is
 * the STREAM construction of Hoang et al. (2015), keeping the full random IV per envelope.
 *
 * Why segments: Chromium's WebCrypto is about three times faster on 256 KiB calls than on 1 MiB
 * ones (DESIGN.md section 9), and segments let the calls of one chunk run in parallel.
 * The binding is what the envelope belongs to (a chunk id, a snapshot id), so the server cannot
 * present one object's envelope as another's.
 */
import { concatBytes, readU32, utf8, writeU32, type Bytes } from '../bytes.ts';
import { KuraError } from '../errors.ts';
import { padme } from './padme.ts';
import { randomBytes } from './random.ts';

export const ENVELOPE_VERSION = 0x01;
export const HEADER_BYTES = 14;
export const TAG_BYTES = 16;
const IV_BYTES = 12;
const LENGTH_PREFIX = 4;
export const MIN_SEGMENT_LOG2 = 12;
export const MAX_SEGMENT_LOG2 = 24;
export const DEFAULT_SEGMENT_LOG2 = 18;
/** One envelope holds at most 1 GiB: chunks are 4 MiB at most, manifests far smaller. */
export const MAX_ENVELOPE_PLAINTEXT = 2 ** 30;

export type EnvelopePurpose = 'chunk' | 'manifest' | 'records' | 'thumb' | 'ledger';

const PURPOSE_TAGS: Record<EnvelopePurpose, Bytes> = {
  chunk: utf8('kura/chunk/v1'),
  manifest: utf8('kura/manifest/v1'),
  records: utf8('kura/records/v1'),
  thumb: utf8('kura/thumb/v1'),
  ledger: utf8('kura/ledger/v1'),
};

export interface EnvelopeContext {
  readonly key: CryptoKey;
  readonly purpose: EnvelopePurpose;
  /** The id the envelope is bound to (chunk id, snapshot id, ...), at most 255 bytes. */
  readonly binding: Bytes;
}

export interface SealOptions {
  readonly segmentLog2?: number;
}

/** Size of the envelope that seals `plainLength` bytes: for quotas and progress estimates. */
export function envelopeSize(plainLength: number, segmentLog2 = DEFAULT_SEGMENT_LOG2): number {
  const padded = padme(LENGTH_PREFIX + plainLength);
  return HEADER_BYTES + padded + TAG_BYTES * Math.ceil(padded / 2 ** segmentLog2);
}

/**
 * Seals `plaintext` and returns the envelope as its parts: the header, then each sealed segment,
 * exactly as WebCrypto produced them. Writers that can take a list (an OPFS file, a Blob for an
 * upload) use the parts as they are: joining them costs a fresh buffer and a copy per chunk,
 * which is the dearest thing a browser worker does here (DESIGN.md section 9).
 */
export async function sealEnvelopeParts(ctx: EnvelopeContext, plaintext: Bytes, options: SealOptions = {}): Promise<Bytes[]> {
  const log2 = options.segmentLog2 ?? DEFAULT_SEGMENT_LOG2;
  if (!Number.isInteger(log2) || log2 < MIN_SEGMENT_LOG2 || log2 > MAX_SEGMENT_LOG2) {
    throw new KuraError('invalid-argument', { kind: 'segment size', log2 });
  }
  const length = plaintext.length;
  if (length > MAX_ENVELOPE_PLAINTEXT) throw new KuraError('envelope-too-large', { length });
  const segment = 2 ** log2;
  const padded = padme(LENGTH_PREFIX + length);
  const count = Math.ceil(padded / segment);
  const header = new Uint8Array(HEADER_BYTES);
  header[0] = ENVELOPE_VERSION;
  header[1] = log2;
  header.set(randomBytes(IV_BYTES), 2);
  const aadBase = baseAad(ctx, header);

  const jobs: Promise<Bytes>[] = [];
  for (let i = 0; i < count; i++) {
    const from = i * segment;
    const to = Math.min(padded, from + segment);
    const inData = from >= LENGTH_PREFIX && to <= LENGTH_PREFIX + length;
    const piece = inData
      ? plaintext.subarray(from - LENGTH_PREFIX, to - LENGTH_PREFIX)
      : paddedSlice(plaintext, from, to);
    const params = segmentParams(header, aadBase, i, i === count - 1);
    jobs.push(crypto.subtle.encrypt(params, ctx.key, piece).then((sealed) => new Uint8Array(sealed)));
  }
  return [header, ...(await Promise.all(jobs))];
}

/** Seals `plaintext` into one contiguous envelope (see sealEnvelopeParts). */
export async function sealEnvelope(ctx: EnvelopeContext, plaintext: Bytes, options: SealOptions = {}): Promise<Bytes> {
  return concatBytes(...(await sealEnvelopeParts(ctx, plaintext, options)));
}

export async function openEnvelope(ctx: EnvelopeContext, envelope: Bytes): Promise<Bytes> {
  if (envelope.length < HEADER_BYTES + TAG_BYTES + LENGTH_PREFIX) {
    throw new KuraError('envelope-malformed', { length: envelope.length });
  }
  if (envelope[0] !== ENVELOPE_VERSION) {
    throw new KuraError('envelope-unsupported-version', { version: envelope[0] });
  }
  const log2 = envelope[1]!;
  if (log2 < MIN_SEGMENT_LOG2 || log2 > MAX_SEGMENT_LOG2) throw new KuraError('envelope-malformed', { log2 });
  const segment = 2 ** log2;
  const body = envelope.length - HEADER_BYTES;
  const count = Math.ceil(body / (segment + TAG_BYTES));
  const lastSealed = body - (count - 1) * (segment + TAG_BYTES);
  const padded = body - TAG_BYTES * count;
  if (lastSealed <= TAG_BYTES || padded < LENGTH_PREFIX) {
    throw new KuraError('envelope-malformed', { length: envelope.length });
  }
  const header = envelope.subarray(0, HEADER_BYTES);
  const aadBase = baseAad(ctx, header);

  let pieces: Bytes[];
  try {
    pieces = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const from = HEADER_BYTES + i * (segment + TAG_BYTES);
        const sealed = envelope.subarray(from, Math.min(envelope.length, from + segment + TAG_BYTES));
        const params = segmentParams(header, aadBase, i, i === count - 1);
        return new Uint8Array(await crypto.subtle.decrypt(params, ctx.key, sealed));
      }),
    );
  } catch (e) {
    throw new KuraError('envelope-auth-failed', { purpose: ctx.purpose }, e);
  }
  return unpad(pieces, padded);
}

/** Bytes [from, to) of the padded plaintext, for segments that touch the prefix or the padding. */
function paddedSlice(plaintext: Bytes, from: number, to: number): Bytes {
  const piece = new Uint8Array(to - from);
  const prefix = new Uint8Array(LENGTH_PREFIX);
  writeU32(prefix, 0, plaintext.length);
  for (let p = from; p < Math.min(to, LENGTH_PREFIX); p++) piece[p - from] = prefix[p]!;
  const dataFrom = Math.max(from, LENGTH_PREFIX);
  const dataTo = Math.min(to, LENGTH_PREFIX + plaintext.length);
  if (dataTo > dataFrom) {
    piece.set(plaintext.subarray(dataFrom - LENGTH_PREFIX, dataTo - LENGTH_PREFIX), dataFrom - from);
  }
  return piece; // the rest is already zero
}

function unpad(pieces: Bytes[], padded: number): Bytes {
  const first = pieces[0]!;
  const length = new DataView(first.buffer, first.byteOffset, first.byteLength).getUint32(0);
  // Authenticated already, so a failure here means a sealer that did not follow the format.
  if (LENGTH_PREFIX + length > padded || padme(LENGTH_PREFIX + length) !== padded) {
    throw new KuraError('envelope-malformed', { length, padded });
  }
  const out = new Uint8Array(length);
  let at = -LENGTH_PREFIX; // position in `out` of the current piece's first byte
  for (const piece of pieces) {
    const from = Math.max(0, -at);
    const to = Math.min(piece.length, length - at);
    if (to > from) out.set(piece.subarray(from, to), at + from);
    for (let p = Math.max(from, to, 0); p < piece.length; p++) {
      if (piece[p] !== 0 && at + p >= length) throw new KuraError('envelope-malformed', { padding: true });
    }
    at += piece.length;
  }
  return out;
}

function baseAad(ctx: EnvelopeContext, header: Uint8Array): Bytes {
  const tag = PURPOSE_TAGS[ctx.purpose];
  if (ctx.binding.length > 255) throw new KuraError('invalid-argument', { kind: 'binding' });
  const aad = new Uint8Array(tag.length + 2 + ctx.binding.length + HEADER_BYTES + 5);
  aad.set(tag, 0);
  aad[tag.length + 1] = ctx.binding.length;
  aad.set(ctx.binding, tag.length + 2);
  aad.set(header, tag.length + 2 + ctx.binding.length);
  return aad;
}

function segmentParams(header: Uint8Array, aadBase: Bytes, index: number, last: boolean): AesGcmParams {
  const aad = aadBase.slice();
  writeU32(aad, aad.length - 5, index);
  aad[aad.length - 1] = last ? 1 : 0;
  // A copy, not header.slice(): on a Node Buffer slice() is a view, and this IV is written to.
  const iv = new Uint8Array(header.subarray(2, HEADER_BYTES));
  writeU32(iv, IV_BYTES - 4, (readU32(iv, IV_BYTES - 4) ^ index) >>> 0);
  return { name: 'AES-GCM', iv, additionalData: aad };
}
