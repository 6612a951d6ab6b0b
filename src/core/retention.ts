/**
 * Snapshot retention: which snapshots a rule keeps (restic's "forget" policy, in Kura's words).
 * A snapshot is kept if any clause keeps it: the newest `last` snapshots, and the newest snapshot
 * of each of the newest `daily` days, `weekly` ISO weeks and `monthly` months that have one.
 * Calendar buckets are counted in the user's time zone offset (minutes east of UTC), so "daily"
 * means the user's days. Applied per device and source; the newest snapshot is always kept.
 */
export interface RetentionRule {
  readonly last?: number;
  readonly daily?: number;
  readonly weekly?: number;
  readonly monthly?: number;
}

export interface Dated {
  readonly id: string;
  readonly createdAt: number;
  /** The device's counter: within one device it orders snapshots even when clocks tie or jump. */
  readonly counter?: number;
}

/** The ids to delete under `rule`; never the newest, never anything when the rule is empty. */
export function snapshotsToForget<T extends Dated>(snapshots: readonly T[], rule: RetentionRule, offsetMinutes = 0): T[] {
  const clauses = [rule.last, rule.daily, rule.weekly, rule.monthly];
  if (clauses.every((n) => !n || n <= 0)) return [];
  const newestFirst = [...snapshots].sort((a, b) => (b.counter ?? 0) - (a.counter ?? 0) || b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  const keep = new Set<string>(newestFirst.slice(0, Math.max(1, rule.last ?? 0)).map((s) => s.id));
  const local = (t: number) => new Date(t + offsetMinutes * 60_000);
  const buckets: [number | undefined, (d: Date) => string][] = [
    [rule.daily, (d) => d.toISOString().slice(0, 10)],
    [rule.weekly, isoWeek],
    [rule.monthly, (d) => d.toISOString().slice(0, 7)],
  ];
  for (const [count, bucketOf] of buckets) {
    if (!count || count <= 0) continue;
    const seen = new Set<string>();
    for (const s of newestFirst) {
      const bucket = bucketOf(local(s.createdAt));
      if (seen.has(bucket)) continue;
      if (seen.size >= count) break;
      seen.add(bucket);
      keep.add(s.id);
    }
  }
  return newestFirst.filter((s) => !keep.has(s.id));
}

/** ISO 8601 week of a date read in UTC fields ("2026-W48"). */
function isoWeek(d: Date): string {
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of this week decides its year
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
