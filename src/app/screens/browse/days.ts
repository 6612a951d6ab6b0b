/** The Browse list's day sections ("Today", "Yesterday", then dates), in local time. */

export type DayLabel = 'today' | 'yesterday' | 'date';

export interface DayGroup<T> {
  readonly key: string;
  /** An instant in that day, for formatting its date. */
  readonly at: number;
  readonly label: DayLabel;
  readonly items: readonly T[];
}

function dayKey(d: Date): string {
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

/** Newest first; consecutive items of one local day share a section. */
export function groupByDay<T extends { readonly createdAt: number }>(items: readonly T[], now: number): DayGroup<T>[] {
  const today = dayKey(new Date(now));
  const before = new Date(now);
  before.setDate(before.getDate() - 1); // a calendar day back, right across daylight-saving changes
  const yesterday = dayKey(before);
  const sorted = [...items].sort((a, b) => b.createdAt - a.createdAt);
  const groups: { key: string; at: number; label: DayLabel; items: T[] }[] = [];
  for (const item of sorted) {
    const key = dayKey(new Date(item.createdAt));
    const last = groups[groups.length - 1];
    if (last?.key === key) last.items.push(item);
    else groups.push({ key, at: item.createdAt, label: key === today ? 'today' : key === yesterday ? 'yesterday' : 'date', items: [item] });
  }
  return groups;
}
