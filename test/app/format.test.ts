import { describe, expect, test } from 'vitest';
import { formatBytes, formatDuration, formatNumber, formatPercent, formatRelative } from '../../src/app/i18n/format.ts';
import { browserLanguage } from '../../src/app/i18n/index.ts';

describe('formatting for the user language', () => {
  test('sizes in decimal units, one decimal below 10', () => {
    expect(formatBytes(0, 'en')).toBe('0 bytes');
    expect(formatBytes(1536, 'en')).toBe('1.5 kB');
    expect(formatBytes(4_800_000_000, 'en')).toBe('4.8 GB');
    expect(formatBytes(123_000_000, 'ja')).toBe('123 MB');
  });

  test('durations leave zero parts out', () => {
    expect(formatDuration(180, 'en')).toBe('3 min');
    expect(formatDuration(185, 'en')).toBe('3 min 5 sec');
    expect(formatDuration(7200, 'en')).toBe('2 hr');
    expect(formatDuration(42, 'ja')).toBe('42 秒');
  });

  test('numbers, percentages and relative times follow the language', () => {
    expect(formatNumber(1234567, 'en')).toBe('1,234,567');
    expect(formatPercent(0.456, 'en')).toBe('46%');
    expect(formatPercent(2, 'en')).toBe('100%');
    const now = Date.UTC(2026, 10, 29, 12);
    expect(formatRelative(now - 2 * 3600_000, 'en', now)).toBe('2 hours ago');
    expect(formatRelative(now - 86_400_000, 'ja', now)).toBe('昨日');
  });

  test('the browser language picks Japanese or English, English otherwise', () => {
    expect(browserLanguage(['ja-JP', 'en'])).toBe('ja');
    expect(browserLanguage(['fr-FR', 'en-GB'])).toBe('en');
    expect(browserLanguage(['de'])).toBe('en');
  });
});
