/**
 * Applying the snapshot retention rule (src/core/retention.ts) on the server: per device and kind,
 * the snapshots the rule forgets are deleted; their chunks are collected by the server a grace
 * period later if nothing else references them. The user's time zone decides what a day is.
 */
import { snapshotsToForget, type RetentionRule } from '../../core/retention.ts';
import type { SnapshotId } from '../../core/ids.ts';
import type { ApiClient } from '../api/client.ts';

export async function applyRetention(
  api: ApiClient,
  rule: RetentionRule,
  offsetMinutes = -new Date().getTimezoneOffset(),
): Promise<SnapshotId[]> {
  const groups = new Map<string, Awaited<ReturnType<ApiClient['snapshots']>>>();
  for (const s of await api.snapshots()) {
    const key = `${s.deviceId}/${s.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const forgotten: SnapshotId[] = [];
  for (const group of groups.values()) {
    for (const s of snapshotsToForget(group, rule, offsetMinutes)) {
      await api.deleteSnapshot(s.id);
      forgotten.push(s.id);
    }
  }
  return forgotten;
}
