/**
 * The record-set manifest: the state of one kind of record (contacts, calendar, calls) as one
 * device last knew it, merged from every device (DESIGN.md section 5: record sets merge by record
 * key, last writer wins per record, deletions are tombstones).
 *
 * Every record keeps all its versions, so any earlier state can be viewed and restored. A version's
 * body (the record as canonical JSON) lives in a *batch*: an ordinary chunk holding a JSON array of
 * the bodies one import or edit wrote, addressed as (batch chunk id, index). So an import uploads
 * one or a few chunks however many records it has, an unchanged record is never uploaded again,
 * and the server's garbage collection keeps every batch a committed set still names.
 *
 * Encoding (format version 1): UTF-8 JSON of the object below, sealed as an envelope under the
 * records key and bound to the snapshot id, exactly as snapshots are (seal.ts). The record kind is
 * inside the seal: the server sees a `records` snapshot, never which kind or how many records.
 */
import * as z from 'zod';
import { fromUtf8, utf8, type Bytes } from '../bytes.ts';
import { openEnvelope, sealEnvelope } from '../crypto/envelope.ts';
import { KuraError } from '../errors.ts';
import { idBytes, isChunkId, isRandomId, type ChunkId, type DeviceId, type SnapshotId } from '../ids.ts';
import { RECORD_KINDS, type RecordKind } from '../records/kinds.ts';

export const RECORD_SET_FORMAT = 'kura-records';
export const RECORD_SET_VERSION = 1;

export interface BodyRef {
  readonly batch: ChunkId;
  readonly index: number;
}

export interface RecordVersionRef {
  /** When the change was made in Kura (ms since the epoch): the newest wins. */
  readonly at: number;
  readonly device: DeviceId;
  /** FNV-1a 64 of the canonical body; '' for a deletion. */
  readonly hash: string;
  /** Absent for a deletion (tombstone). */
  readonly body?: BodyRef;
}

export interface RecordEntry {
  readonly key: string;
  /** Oldest first (see compareVersions). */
  readonly versions: readonly RecordVersionRef[];
}

export interface RecordSet {
  readonly format: typeof RECORD_SET_FORMAT;
  readonly v: typeof RECORD_SET_VERSION;
  readonly id: SnapshotId;
  readonly kind: RecordKind;
  readonly deviceId: DeviceId;
  readonly counter: number;
  readonly createdAt: number;
  readonly records: readonly RecordEntry[];
}

const nonNegativeInt = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const versionSchema = z
  .strictObject({
    at: nonNegativeInt,
    device: z.custom<DeviceId>(isRandomId, 'expected a device id'),
    hash: z.string().regex(/^([0-9a-f]{16})?$/),
    body: z.strictObject({ batch: z.custom<ChunkId>(isChunkId, 'expected a chunk id'), index: nonNegativeInt }).optional(),
  })
  .refine((v) => (v.body === undefined) === (v.hash === ''), 'a version has a body exactly when it is not a deletion');

export const recordSetSchema = z
  .strictObject({
    format: z.literal(RECORD_SET_FORMAT),
    v: z.literal(RECORD_SET_VERSION),
    id: z.custom<SnapshotId>(isRandomId, 'expected a snapshot id'),
    kind: z.enum(RECORD_KINDS as [RecordKind, ...RecordKind[]]),
    deviceId: z.custom<DeviceId>(isRandomId, 'expected a device id'),
    counter: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    createdAt: nonNegativeInt,
    records: z.array(z.strictObject({ key: z.string().min(1).max(2048), versions: z.array(versionSchema).min(1) })),
  })
  .refine((s) => new Set(s.records.map((r) => r.key)).size === s.records.length, 'duplicate record keys');

/** The chunks a record set references: every batch any version of any record lives in. */
export function referencedBatches(set: Pick<RecordSet, 'records'>): ChunkId[] {
  const ids = new Set<ChunkId>();
  for (const entry of set.records) for (const v of entry.versions) if (v.body) ids.add(v.body.batch);
  return [...ids];
}

export async function sealRecordSet(key: CryptoKey, set: RecordSet): Promise<Bytes> {
  const checked = parseRecordSet(set);
  return sealEnvelope({ key, purpose: 'records', binding: idBytes(checked.id) }, utf8(JSON.stringify(checked)));
}

/** Opens a sealed record set for snapshot `id`: it decrypts, is a version we know, passes the schema, and names that id. */
export async function openRecordSet(key: CryptoKey, sealed: Bytes, id: SnapshotId): Promise<RecordSet> {
  const plain = await openEnvelope({ key, purpose: 'records', binding: idBytes(id) }, sealed);
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(plain));
  } catch (e) {
    throw new KuraError('records-invalid', { reason: 'not JSON' }, e);
  }
  const set = parseRecordSet(json);
  if (set.id !== id) throw new KuraError('manifest-id-mismatch', { expected: id, found: set.id });
  return set;
}

export function parseRecordSet(value: unknown): RecordSet {
  const version = (value as { v?: unknown } | null)?.v;
  if (version !== RECORD_SET_VERSION) throw new KuraError('records-invalid', { reason: 'unsupported version', version: String(version) });
  const result = recordSetSchema.safeParse(value);
  if (!result.success) {
    throw new KuraError('records-invalid', { issues: result.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) });
  }
  return result.data as RecordSet;
}
