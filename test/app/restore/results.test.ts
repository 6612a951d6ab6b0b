import { describe, expect, test } from 'vitest';
import type { RestoredFile } from '../../../src/client/app-api.ts';
import { mergeResults, problemsFirst, tally, zipName } from '../../../src/app/screens/restore/results.ts';

const r = (path: string, status: RestoredFile['status']): RestoredFile => ({ path, status });

describe('restore results', () => {
  test('tally counts each status', () => {
    expect(tally([r('a', 'restored'), r('b', 'failed'), r('c', 'restored'), r('d', 'skipped')])).toEqual({ restored: 2, skipped: 1, failed: 1 });
    expect(tally([])).toEqual({ restored: 0, skipped: 0, failed: 0 });
  });

  test('problems first: failed, then skipped, then restored, each in the original order', () => {
    const ordered = problemsFirst([r('1', 'restored'), r('2', 'failed'), r('3', 'skipped'), r('4', 'failed'), r('5', 'restored')]);
    expect(ordered.map((x) => x.path)).toEqual(['2', '4', '3', '1', '5']);
  });

  test('a later run replaces the results of the same files and adds new ones', () => {
    const merged = mergeResults([r('a', 'restored'), r('b', 'failed'), r('c', 'failed')], [r('b', 'restored'), r('d', 'skipped')]);
    expect(merged).toEqual([r('a', 'restored'), r('b', 'restored'), r('c', 'failed'), r('d', 'skipped')]);
  });
});

describe('zipName', () => {
  test('the name and the local date', () => {
    expect(zipName('Photos', new Date(2026, 0, 9, 23, 59))).toBe('Photos-2026-01-09.zip');
    expect(zipName('写真', new Date(2026, 11, 31))).toBe('写真-2026-12-31.zip');
  });

  test('characters no file system accepts become "-", and an empty name becomes Kura', () => {
    expect(zipName('Work: 2025/Q4 "final"?', new Date(2026, 4, 1))).toBe('Work- 2025-Q4 -final--2026-05-01.zip');
    expect(zipName(' .. ', new Date(2026, 4, 1))).toBe('Kura-2026-05-01.zip');
  });
});
