/**
 * The photo grid as rows for a virtual list: a header row per month, then rows of `columns`
 * tiles. Rows hold index ranges into one flat, newest-first array (never copies of entries), so
 * 10,000 photos become about 2,000 small objects in one pass and a new width only regroups.
 */

/** Space between tiles, and the tile size the column count aims for. */
export const TILE_GAP = 4;
export const MAX_TILE = 160;
export const HEADER_HEIGHT = 56;
export const FIRST_HEADER_HEIGHT = 40;

export type GridRow =
  | { readonly kind: 'header'; readonly key: string; readonly at: number; readonly count: number }
  | { readonly kind: 'tiles'; readonly key: string; readonly start: number; readonly end: number };

export interface GridLayout {
  readonly rows: readonly GridRow[];
  /** For each item, the index of the row that holds it (keyboard moves, scrolling to an item). */
  readonly rowOf: Int32Array;
  readonly columns: number;
}

/** As many columns as keep tiles at most MAX_TILE wide (three on a 360 px phone). */
export function columnsFor(width: number): number {
  return Math.max(1, Math.ceil((Math.max(0, width) + TILE_GAP) / (MAX_TILE + TILE_GAP)));
}

/** The height of a tile row: the tile's width (tiles are square) plus the gap below it. */
export function tileRowHeight(width: number, columns: number): number {
  return Math.max(1, Math.floor((width - TILE_GAP * (columns - 1)) / columns)) + TILE_GAP;
}

/** The month an instant falls in, in local time, as one number (year * 12 + month). */
export function monthOf(ms: number): number {
  const d = new Date(ms);
  return d.getFullYear() * 12 + d.getMonth();
}

/** Newest first; equal times by path, so the order is the same on every device. */
export function newestFirst<T extends { readonly lastModified: number; readonly path: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => b.lastModified - a.lastModified || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Groups consecutive items of the same month (the input is sorted) under a header row. */
export function groupRows(items: readonly { readonly lastModified: number }[], columns: number, groupOf: (ms: number) => number = monthOf): GridLayout {
  const cols = Math.max(1, Math.floor(columns));
  const rows: GridRow[] = [];
  const rowOf = new Int32Array(items.length);
  const groups = new Int32Array(items.length);
  for (let i = 0; i < items.length; i++) groups[i] = groupOf(items[i]!.lastModified);
  let i = 0;
  while (i < items.length) {
    let j = i + 1;
    while (j < items.length && groups[j] === groups[i]) j++;
    rows.push({ kind: 'header', key: `h${i}`, at: items[i]!.lastModified, count: j - i });
    for (let start = i; start < j; start += cols) {
      const end = Math.min(start + cols, j);
      rowOf.fill(rows.length, start, end);
      rows.push({ kind: 'tiles', key: `t${start}`, start, end });
    }
    i = j;
  }
  return { rows, rowOf, columns: cols };
}

export type GridKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown';

/** Where focus goes from item `index` on a key: across rows and headers as the eye reads the grid. */
export function moveInGrid(layout: GridLayout, index: number, key: GridKey, pageRows = 4): number {
  const count = layout.rowOf.length;
  if (count === 0) return -1;
  const at = Math.min(Math.max(0, index), count - 1);
  switch (key) {
    case 'ArrowLeft':
      return Math.max(0, at - 1);
    case 'ArrowRight':
      return Math.min(count - 1, at + 1);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default: {
      const steps = key === 'PageUp' || key === 'PageDown' ? pageRows : 1;
      const direction = key === 'ArrowUp' || key === 'PageUp' ? -1 : 1;
      const here = layout.rows[layout.rowOf[at]!] as Extract<GridRow, { kind: 'tiles' }>;
      const column = at - here.start;
      let row = layout.rowOf[at]!;
      let target = here;
      for (let moved = 0; moved < steps; ) {
        row += direction;
        const candidate = layout.rows[row];
        if (!candidate) break;
        if (candidate.kind === 'tiles') {
          target = candidate;
          moved++;
        }
      }
      return Math.min(target.start + column, target.end - 1);
    }
  }
}
