/**
 * Applying the snapshot retention rule (src/core/retention.ts) on the server: per device, kind and
 * source, the snapshots the rule forgets are deleted; their chunks are collected by the server a
 * grace period later if nothing else references them. The user's time zone decides what a day is.
 *
 * The source is known only inside the sealed manifest (the server never sees it), so the caller
 * says which source each snapshot is of. Without it, "keep the last 3" of a device backing up two
 * folders would delete the only snapshot of the one backed up less often.
 */
import { snapshotsToForget, type RetentionRule } from '../../core/retention.ts';
import type { SnapshotId } from '../../core/ids.ts';
import type { SnapshotSummary } from '../../core/protocol.ts';
import type { ApiClient } from '../api/client.ts';

export async function applyRetention(
  api: ApiClient,
  rule: RetentionRule,
  sourceOf: (snapshot: SnapshotSummary) => Promise<string>,
  offsetMinutes = -new Date().getTimezoneOffset(),
): Promise<SnapshotId[]> {
  const groups = new Map<string, SnapshotSummary[]>();
  for (const s of await api.snapshots()) {
    const key = JSON.stringify([s.deviceId, s.kind, await sourceOf(s)]);
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
