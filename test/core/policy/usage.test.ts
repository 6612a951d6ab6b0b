/** The usage report's pure parts: size classes, the browser family, counting a run, the exact body. */
import { describe, expect, test } from 'vitest';
import { usageStatsReport } from '../../../src/core/protocol.ts';
import { appVersionOf, browserFamily, countRun, EMPTY_COUNTERS, sizeClass, usagePayload, usageReportOf } from '../../../src/core/policy/usage.ts';

const MiB = 1024 * 1024;
const APP = { version: '0.1.0', browser: 'chrome' } as const;

describe('usage statistics', () => {
  test('size classes match the server schema, with each boundary in the class above', () => {
    expect([0, MiB - 1, MiB, 10 * MiB, 100 * MiB - 1, 100 * MiB, 1024 * MiB].map(sizeClass)).toEqual([
      'under1MiB',
      'under1MiB',
      'to10MiB',
      'to100MiB',
      'to100MiB',
      'to1GiB',
      'over1GiB',
    ]);
  });

  test('the browser family: Edge and Samsung Internet before Chrome, Chrome before Safari', () => {
    const chrome = 'Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';
    expect(browserFamily(chrome)).toBe('chrome');
    expect(browserFamily(`${chrome} Edg/130.0`)).toBe('edge');
    expect(browserFamily('Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 SamsungBrowser/25.0 Chrome/121.0 Mobile Safari/537.36')).toBe('samsung');
    expect(browserFamily('Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0')).toBe('firefox');
    expect(browserFamily('Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1')).toBe('safari');
    expect(browserFamily('curl/8.0')).toBe('other');
  });

  test('versions are reduced to x.y.z', () => {
    expect([appVersionOf('0.1.0-test'), appVersionOf('12.3.4'), appVersionOf('dev')]).toEqual(['0.1.0', '12.3.4', '0.0.0']);
  });

  test('counting runs: files by class, error codes (anything not a code is "other"), at most 50 codes', () => {
    let c = countRun(EMPTY_COUNTERS, { sizes: [1, 2 * MiB], errors: ['source-unreadable', 'C:\\Users\\hana\\secret.txt'] });
    c = countRun(c, { sizes: [], errors: ['source-unreadable'] });
    expect(c).toEqual({ backupsRun: 2, filesBySize: { under1MiB: 1, to10MiB: 1, to100MiB: 0, to1GiB: 0, over1GiB: 0 }, errors: { 'source-unreadable': 2, other: 1 } });
    const many = countRun(EMPTY_COUNTERS, { sizes: [], errors: Array.from({ length: 60 }, (_, i) => `code-${i}`) });
    expect(Object.keys(many.errors)).toHaveLength(50);
    expect(EMPTY_COUNTERS.backupsRun).toBe(0); // not changed in place
  });

  test('the payload is the schema-valid report, error codes sorted, the same text every time', () => {
    const c = countRun(EMPTY_COUNTERS, { sizes: [5], errors: ['zeta', 'alpha'] });
    const payload = usagePayload(c, APP);
    expect(usageStatsReport.parse(JSON.parse(payload))).toEqual(usageReportOf(c, APP));
    expect(Object.keys(JSON.parse(payload).errors)).toEqual(['alpha', 'zeta']);
    expect(usagePayload(structuredClone(c), APP)).toBe(payload);
    expect(payload).not.toMatch(/hana|secret|Users/);
  });
});
