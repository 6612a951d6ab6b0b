/**
 * Snapshots, devices and manifests for the Browse tests, on top of the shared FakeApi: ids in
 * their real shapes, and a generator for a large photo library.
 */
import { vi } from 'vitest';
import type { ChunkId, DeviceId, SnapshotId } from '../../../src/core/ids.ts';
import type { FileEntry, Snapshot } from '../../../src/core/manifest/snapshot.ts';
import type { DeviceResponse, SnapshotSummary } from '../../../src/core/protocol.ts';
import { ACCOUNT, FakeApi, fileEntry, snapshot } from '../fake-api.ts';

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

/** Object URLs as jsdom lacks them: every one made and revoked is recorded. */
export function stubObjectUrls() {
  let n = 0;
  const create = vi.fn((_blob: Blob) => `blob:kura/${++n}`);
  const revoke = vi.fn((_url: string) => {});
  const original = { create: URL.createObjectURL, revoke: URL.revokeObjectURL, scrollTo: window.scrollTo };
  URL.createObjectURL = create;
  URL.revokeObjectURL = revoke;
  window.scrollTo = vi.fn() as typeof window.scrollTo; // the virtual list scrolls the window; jsdom does not
  return {
    create,
    revoke,
    restore() {
      URL.createObjectURL = original.create;
      URL.revokeObjectURL = original.revoke;
      window.scrollTo = original.scrollTo;
    },
  };
}

/** A FakeApi holding one snapshot of these entries, and the id to open. */
export function apiWith(entries: readonly FileEntry[], overrides: Partial<Snapshot> = {}): { api: FakeApi; id: string } {
  const api = new FakeApi();
  const id = snapshotId(42);
  api.manifests.set(id, snapshot(id, entries, overrides));
  api.deviceList = [device(THIS_DEVICE, 'Hana’s laptop', true)];
  return { api, id };
}
