import { describe, expect, test } from 'vitest';
import { columnsFor, groupRows, monthOf, moveInGrid, newestFirst, tileRowHeight, TILE_GAP, type GridRow } from '../../../src/app/screens/browse/rows.ts';
import { library } from './fixtures.ts';

const tiles = (rows: readonly GridRow[]) => rows.filter((r): r is Extract<GridRow, { kind: 'tiles' }> => r.kind === 'tiles');

describe('the photo grid rows', () => {
  test('columns keep tiles between about 110 and 160 px from a phone to a wide screen', () => {
    for (const width of [328, 360, 720, 1024, 1400, 2400]) {
      const columns = columnsFor(width);
      const tile = tileRowHeight(width, columns) - TILE_GAP;
      expect(tile, `width ${width}`).toBeLessThanOrEqual(160);
      expect(tile, `width ${width}`).toBeGreaterThanOrEqual(100);
    }
    expect(columnsFor(0)).toBe(1);
  });

  test('10,000 photos become month headers and rows of N, every photo once and in order, quickly', () => {
    const items = newestFirst(library(10_000));
    const started = performance.now();
    const layout = groupRows(items, 6);
    const elapsed = performance.now() - started;

    const months = new Set(items.map((e) => monthOf(e.lastModified)));
    const headers = layout.rows.filter((r) => r.kind === 'header');
    expect(headers).toHaveLength(months.size);
    expect(headers.reduce((n, h) => n + (h.kind === 'header' ? h.count : 0), 0)).toBe(10_000);

    // Tile rows cover 0..9,999 in order, each 1..6 long and within one month.
    let next = 0;
    const bad: string[] = [];
    for (const row of tiles(layout.rows)) {
      if (row.start !== next || row.end - row.start < 1 || row.end - row.start > 6) bad.push(`${row.start}-${row.end}`);
      if (monthOf(items[row.start]!.lastModified) !== monthOf(items[row.end - 1]!.lastModified)) bad.push(`month ${row.start}`);
      next = row.end;
    }
    expect(bad).toEqual([]);
    expect(next).toBe(10_000);
    for (let i = 0; i < 10_000; i += 97) {
      const row = layout.rows[layout.rowOf[i]!]!;
      expect(row.kind === 'tiles' && row.start <= i && i < row.end).toBe(true);
    }
    expect(new Set(layout.rows.map((r) => r.key)).size).toBe(layout.rows.length);
    expect(elapsed).toBeLessThan(100);
  });

  test('a short month ends in a short row, and the next month starts a new row under its header', () => {
    const at = (y: number, m: number, d: number) => ({ lastModified: new Date(y, m, d, 12).getTime() });
    const layout = groupRows([at(2026, 10, 9), at(2026, 10, 3), at(2026, 10, 1), at(2026, 9, 30), at(2026, 9, 2)], 2);
    expect(layout.rows.map((r) => (r.kind === 'header' ? `h${r.count}` : `${r.start}-${r.end}`))).toEqual(['h3', '0-2', '2-3', 'h2', '3-5']);
  });

  test('no photos, no rows', () => {
    expect(groupRows([], 4).rows).toEqual([]);
  });

  test('newest first, equal times by path', () => {
    const items = [
      { path: 'b.jpg', lastModified: 5 },
      { path: 'a.jpg', lastModified: 5 },
      { path: 'c.jpg', lastModified: 9 },
    ];
    expect(newestFirst(items).map((e) => e.path)).toEqual(['c.jpg', 'a.jpg', 'b.jpg']);
  });

  test('arrow keys move along rows and across month headers, keeping the column', () => {
    const at = (m: number, d: number) => ({ lastModified: new Date(2026, m, d, 12).getTime() });
    // November: 5 items in rows [0-3), [3-5); October: 4 items in rows [5-8), [8-9).
    const layout = groupRows([at(10, 9), at(10, 8), at(10, 7), at(10, 6), at(10, 5), at(9, 9), at(9, 8), at(9, 7), at(9, 6)], 3);
    expect(moveInGrid(layout, 0, 'ArrowRight')).toBe(1);
    expect(moveInGrid(layout, 0, 'ArrowLeft')).toBe(0);
    expect(moveInGrid(layout, 1, 'ArrowDown')).toBe(4);
    expect(moveInGrid(layout, 2, 'ArrowDown')).toBe(4); // the row below is shorter
    expect(moveInGrid(layout, 4, 'ArrowDown')).toBe(6); // over the October header
    expect(moveInGrid(layout, 6, 'ArrowUp')).toBe(4);
    expect(moveInGrid(layout, 8, 'ArrowDown')).toBe(8); // the last row stays
    expect(moveInGrid(layout, 1, 'ArrowUp')).toBe(1);
    expect(moveInGrid(layout, 4, 'End')).toBe(8);
    expect(moveInGrid(layout, 4, 'Home')).toBe(0);
    expect(moveInGrid(layout, 0, 'PageDown', 2)).toBe(5);
    expect(moveInGrid(groupRows([], 3), 0, 'ArrowRight')).toBe(-1);
  });
});
