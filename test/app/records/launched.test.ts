/** Which launched files are record exports (for the import) and which are for the backup. */
import { describe, expect, test } from 'vitest';
import { LaunchedFiles, launchedRecordKind } from '../../../src/app/state/launched.svelte.ts';

const file = (name: string, type = '') => new File(['x'], name, { type });

describe('launchedRecordKind', () => {
  test.each([
    ['contacts.vcf', '', 'contacts'],
    ['CONTACTS.VCARD', '', 'contacts'],
    ['export', 'text/vcard', 'contacts'],
    ['export', 'text/x-vcard', 'contacts'],
    ['cal.ics', '', 'calendar'],
    ['cal.ical', '', 'calendar'],
    ['invite', 'text/calendar; charset=utf-8', 'calendar'],
    ['IMG_0001.jpg', 'image/jpeg', undefined],
    ['clip.mp4', 'video/mp4', undefined],
    ['calls.csv', 'text/csv', undefined],
    ['vcf', '', undefined],
  ])('%s (%s) → %s', (name, type, kind) => {
    expect(launchedRecordKind(file(name, type))).toBe(kind);
  });
});

describe('LaunchedFiles', () => {
  test('splits record exports from other files, each taken once', () => {
    const launched = new LaunchedFiles();
    const vcf = file('a.vcf');
    const jpg = file('b.jpg', 'image/jpeg');
    const ics = file('c.ics');
    launched.add([vcf, jpg]);
    launched.add([ics]);
    expect(launched.recordFiles).toEqual([vcf, ics]);
    expect(launched.files).toEqual([jpg]);
    expect(launched.takeRecords()).toEqual([vcf, ics]);
    expect(launched.takeRecords()).toEqual([]);
    expect(launched.take()).toEqual([jpg]);
    expect(launched.files).toEqual([]);
  });
});
