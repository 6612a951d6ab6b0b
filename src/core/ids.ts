/**
 * Branded ids (STYLE.md 15): a plain string at run time, a distinct type at compile time, so a
 * snapshot id can never be passed where a chunk id is expected. Parse once at the edge.
 *
 * - ChunkId: HMAC-SHA-256 of a chunk's plaintext under the account's chunk-id key, 64 lowercase hex.
 * - FileHash: keyed whole-file hash, same shape as a chunk id.
 * - SnapshotId, DeviceId, AccountId: 128 random bits, 32 lowercase hex characters.
 */
import { fromHex, toHex, type Bytes } from './bytes.ts';
import { KuraError } from './errors.ts';
import { randomBytes } from './crypto/random.ts';

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type ChunkId = Brand<string, 'ChunkId'>;
export type FileHash = Brand<string, 'FileHash'>;
export type SnapshotId = Brand<string, 'SnapshotId'>;
export type DeviceId = Brand<string, 'DeviceId'>;
export type AccountId = Brand<string, 'AccountId'>;

const HEX64 = /^[0-9a-f]{64}$/;
const HEX32 = /^[0-9a-f]{32}$/;

export const isChunkId = (s: unknown): s is ChunkId => typeof s === 'string' && HEX64.test(s);
export const isFileHash = (s: unknown): s is FileHash => typeof s === 'string' && HEX64.test(s);
export const isRandomId = (s: unknown): s is SnapshotId & DeviceId & AccountId =>
  typeof s === 'string' && HEX32.test(s);

function parse<T extends string>(test: (s: unknown) => s is T, kind: string, s: unknown): T {
  if (!test(s)) throw new KuraError('invalid-argument', { kind, value: String(s).slice(0, 80) });
  return s;
}

export const parseChunkId = (s: unknown): ChunkId => parse(isChunkId, 'chunk id', s);
export const parseSnapshotId = (s: unknown): SnapshotId => parse(isRandomId, 'snapshot id', s);
export const parseDeviceId = (s: unknown): DeviceId => parse(isRandomId, 'device id', s);
export const parseAccountId = (s: unknown): AccountId => parse(isRandomId, 'account id', s);

function newRandomId(): string {
  return toHex(randomBytes(16));
}
export const newSnapshotId = (): SnapshotId => newRandomId() as SnapshotId;
export const newDeviceId = (): DeviceId => newRandomId() as DeviceId;
export const newAccountId = (): AccountId => newRandomId() as AccountId;

/** The raw bytes behind a hex id, used where an id is bound into authenticated data. */
export function idBytes(id: ChunkId | FileHash | SnapshotId | DeviceId | AccountId): Bytes {
  const bytes = fromHex(id);
  if (!bytes) throw new KuraError('invalid-argument', { kind: 'id', value: id });
  return bytes;
}
