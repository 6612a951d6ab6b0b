/**
 * Pure helpers for the restore dialog: counting results, ordering them for the list (problems
 * first), folding a retry's results into the earlier ones, and the zip's file name.
 */
import type { RestoredFile } from '../../../client/app-api.ts';

export interface Tally {
  readonly restored: number;
  readonly skipped: number;
  readonly failed: number;
}

export function tally(results: Iterable<RestoredFile>): Tally {
  const counts = { restored: 0, skipped: 0, failed: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}

const ORDER: Readonly<Record<RestoredFile['status'], number>> = { failed: 0, skipped: 1, restored: 2 };

/** Failed, then skipped, then restored; the entries' order within each. */
export function problemsFirst(results: readonly RestoredFile[]): RestoredFile[] {
  return results
    .map((r, i) => [r, i] as const)
    .sort(([a, i], [b, j]) => ORDER[a.status] - ORDER[b.status] || i - j)
    .map(([r]) => r);
}

/** Earlier results with those of a later run put in place (same path), new ones appended. */
export function mergeResults(earlier: readonly RestoredFile[], later: readonly RestoredFile[]): RestoredFile[] {
  const byPath = new Map(later.map((r) => [r.path, r]));
  const merged = earlier.map((r) => byPath.get(r.path) ?? r);
  const known = new Set(earlier.map((r) => r.path));
  return [...merged, ...later.filter((r) => !known.has(r.path))];
}

/** "Photos" on 5 March 2026 → "Photos-2026-03-05.zip" (local date; characters no file system takes become "-"). */
export function zipName(name: string, now: Date): string {
  const safe = name.replace(/[\u0000-\u001f\\/:*?"<>|]+/g, '-').replace(/^[\s.]+|[\s.]+$/g, '') || 'Kura';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${safe}-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.zip`;
}
