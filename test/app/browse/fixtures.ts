/**
 * Snapshots, devices and manifests for the Browse tests, on top of the shared FakeApi: ids in
 * their real shapes, and a generator for a large photo library.
 */
import type { ChunkId, DeviceId, SnapshotId } from '../../../src/core/ids.ts';
import type { FileEntry } from '../../../src/core/manifest/snapshot.ts';
import type { DeviceResponse, SnapshotSummary } from '../../../src/core/protocol.ts';
import { ACCOUNT, fileEntry } from '../fake-api.ts';

export const THIS_DEVICE = ACCOUNT.deviceId;
export const OTHER_DEVICE = 'b7e1'.padEnd(32, '0') as DeviceId;

export function snapshotId(n: number): SnapshotId {
  return n.toString(16).padStart(32, 'a') as SnapshotId;
}

export function chunkId(n: number): ChunkId {
  return n.toString(16).padStart(64, 'c') as ChunkId;
}

export function summary(n: number, createdAt: number, overrides: Partial<SnapshotSummary> = {}): SnapshotSummary {
  return { id: snapshotId(n), kind: 'files', deviceId: THIS_DEVICE, counter: n, createdAt, bytes: 2_500_000 * n, chunkCount: 10 * n, ...overrides };
}

export function device(id: DeviceId, name: string, current: boolean): DeviceResponse {
  return { id, name, model: 'Test', createdAt: 0, lastSeenAt: 0, current };
}

/** `count` photos (every 7th a video), a few a day going back from `newest`, each with a thumbnail. */
export function library(count: number, newest = Date.UTC(2026, 10, 20, 12)): FileEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const video = i % 7 === 3;
    const name = `IMG_${String(i).padStart(5, '0')}.${video ? 'mp4' : 'jpg'}`;
    return fileEntry(`Camera/${name}`, {
      size: 2_000_000,
      lastModified: newest - i * 3 * 3600_000,
      type: video ? 'video/mp4' : 'image/jpeg',
      thumb: chunkId(i),
    });
  });
}
