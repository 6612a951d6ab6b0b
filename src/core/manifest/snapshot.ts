/**
 * The snapshot manifest: what one backup run of one source on one device contained.
 *
 * Vocabulary:
 * - snapshot: immutable, identified by a random SnapshotId, made by one device (DeviceId) with a
 *   per-device counter that only grows (the client's defence against a server replaying old state).
 * - kind: `files` (a folder or file set) or `records` (contacts, calendars, call history).
 * - entry: one file: its relative path, size, lastModified, media type, the ids of its chunks in
 *   order, its keyed whole-file hash and, for images and videos, the chunk id of a thumbnail.
 *
 * Encoding (format version 1): UTF-8 JSON of the object below, sealed as an envelope under the
 * manifest key and bound to the snapshot id (see seal.ts). `v` is checked before anything else.
 */
import * as z from 'zod';
import { isChunkId, isFileHash, isRandomId, type ChunkId, type DeviceId, type FileHash, type SnapshotId } from '../ids.ts';

export const SNAPSHOT_FORMAT = 'kura-snapshot';
export const SNAPSHOT_VERSION = 1;

export type SnapshotKind = 'files' | 'records';

export interface FileEntry {
  readonly path: string;
  readonly size: number;
  readonly lastModified: number;
  readonly type: string;
  readonly chunks: readonly ChunkId[];
  readonly hash: FileHash;
  readonly thumb?: ChunkId;
}

export interface Snapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly v: typeof SNAPSHOT_VERSION;
  readonly id: SnapshotId;
  readonly kind: SnapshotKind;
  readonly deviceId: DeviceId;
  readonly counter: number;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  /** The source's name as the user sees it ("Photos", "contacts.vcf"). */
  readonly source: string;
  readonly entries: readonly FileEntry[];
}

/**
 * A relative path safe to restore under a chosen folder: '/'-separated, no empty, '.' or '..'
 * segment, no leading slash, no NUL. Anything else could write outside the restore target.
 */
export function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.length > 4096 || path.includes('\0')) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

const chunkId = z.custom<ChunkId>(isChunkId, 'expected a chunk id');
const nonNegativeInt = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const fileEntrySchema = z
  .strictObject({
    path: z.string().refine(isSafeRelativePath, 'unsafe relative path'),
    size: nonNegativeInt,
    lastModified: nonNegativeInt,
    type: z.string().max(255),
    chunks: z.array(chunkId),
    hash: z.custom<FileHash>(isFileHash, 'expected a file hash'),
    thumb: chunkId.optional(),
  })
  .refine((e) => (e.size === 0) === (e.chunks.length === 0), 'a file has chunks exactly when it is not empty');

export const snapshotSchema = z
  .strictObject({
    format: z.literal(SNAPSHOT_FORMAT),
    v: z.literal(SNAPSHOT_VERSION),
    id: z.custom<SnapshotId>(isRandomId, 'expected a snapshot id'),
    kind: z.enum(['files', 'records']),
    deviceId: z.custom<DeviceId>(isRandomId, 'expected a device id'),
    counter: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    createdAt: nonNegativeInt,
    source: z.string().min(1).max(1024),
    entries: z.array(fileEntrySchema),
  })
  .refine((s) => new Set(s.entries.map((e) => e.path)).size === s.entries.length, 'duplicate paths');

/** The set of distinct chunk ids a snapshot references (file chunks and thumbnails). */
export function referencedChunks(snapshot: Snapshot): ChunkId[] {
  const ids = new Set<ChunkId>();
  for (const entry of snapshot.entries) {
    for (const id of entry.chunks) ids.add(id);
    if (entry.thumb) ids.add(entry.thumb);
  }
  return [...ids];
}
