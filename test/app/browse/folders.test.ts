import { describe, expect, test } from 'vitest';
import { groupByDay } from '../../../src/app/screens/browse/days.ts';
import { crumbs, entriesUnder, listFolder, selectedPerFolder } from '../../../src/app/screens/browse/folders.ts';
import { baseName, fileKind, folderOf, isMedia } from '../../../src/app/screens/browse/kinds.ts';
import { matching, searchKey } from '../../../src/app/screens/browse/search.ts';
import { fileEntry } from '../fake-api.ts';

const collator = new Intl.Collator('en', { numeric: true });
const entries = ['Docs/b.pdf', 'Docs/Tax/2025.pdf', 'IMG_10.jpg', 'IMG_2.jpg', 'Docs/a.txt', 'Music/x.mp3'].map((p, i) => fileEntry(p, { size: (i + 1) * 100 }));

describe('folders', () => {
  test('the top lists folders first with their totals, then files in natural order', () => {
    const top = listFolder(entries, '', collator);
    expect(top.folders).toEqual([
      { name: 'Docs', path: 'Docs', files: 3, bytes: 100 + 200 + 500 },
      { name: 'Music', path: 'Music', files: 1, bytes: 600 },
    ]);
    expect(top.files.map((e) => e.path)).toEqual(['IMG_2.jpg', 'IMG_10.jpg']);
  });

  test('a sub-folder lists only what is directly in it', () => {
    const docs = listFolder(entries, 'Docs', collator);
    expect(docs.folders.map((f) => f.path)).toEqual(['Docs/Tax']);
    expect(docs.files.map((e) => e.path)).toEqual(['Docs/a.txt', 'Docs/b.pdf']);
    expect(entriesUnder(entries, 'Docs').map((e) => e.path).sort()).toEqual(['Docs/Tax/2025.pdf', 'Docs/a.txt', 'Docs/b.pdf']);
  });

  test('selected files are counted per sub-folder; breadcrumbs follow the path', () => {
    const counts = selectedPerFolder(new Set(['Docs/a.txt', 'Docs/Tax/2025.pdf', 'IMG_2.jpg']), '');
    expect([...counts]).toEqual([['Docs', 2]]);
    expect(crumbs('Docs/Tax')).toEqual([
      { name: 'Docs', path: 'Docs' },
      { name: 'Tax', path: 'Docs/Tax' },
    ]);
    expect(crumbs('')).toEqual([]);
  });
});

describe('kinds', () => {
  test('by media type, else by extension', () => {
    expect(fileKind({ path: 'a.bin', type: 'image/png' })).toBe('image');
    expect(fileKind({ path: 'IMG_1.HEIC', type: '' })).toBe('image');
    expect(fileKind({ path: 'clip.MOV', type: '' })).toBe('video');
    expect(fileKind({ path: 'song.flac', type: '' })).toBe('audio');
    expect(fileKind({ path: 'r.pdf', type: 'application/pdf' })).toBe('document');
    expect(fileKind({ path: 'notes', type: '' })).toBe('other');
    expect(isMedia('video') && isMedia('image') && !isMedia('audio')).toBe(true);
    expect([baseName('a/b/c.jpg'), folderOf('a/b/c.jpg'), folderOf('c.jpg')]).toEqual(['c.jpg', 'a/b', '']);
  });
});

describe('search', () => {
  test('case- and width-insensitive, in English and Japanese', () => {
    const keys = ['Camera/IMG_0001.JPG', '写真/ｶﾒﾗ.jpg', 'ＲＥＰＯＲＴ.pdf'].map(searchKey);
    expect(matching(keys, 'img_0001')).toEqual([0]);
    expect(matching(keys, 'カメラ')).toEqual([1]);
    expect(matching(keys, 'report')).toEqual([2]);
    expect(matching(keys, '写真')).toEqual([1]);
    expect(matching(keys, 'zzz')).toEqual([]);
    expect(matching(keys, '  ')).toBeUndefined();
  });
});

describe('day sections', () => {
  test('today, yesterday, then each date, newest first', () => {
    const now = new Date(2026, 10, 20, 9, 0).getTime();
    const at = (d: number, h: number) => ({ createdAt: new Date(2026, 10, d, h).getTime() });
    const groups = groupByDay([at(18, 10), at(20, 8), at(19, 23), at(20, 1), at(18, 9)], now);
    expect(groups.map((g) => [g.label, g.items.length])).toEqual([
      ['today', 2],
      ['yesterday', 1],
      ['date', 2],
    ]);
    expect(groups[0]!.items[0]!.createdAt).toBeGreaterThan(groups[0]!.items[1]!.createdAt);
  });
});
