import { describe, expect, test } from 'vitest';
import { parseCallDate, parseDuration } from '../../../src/core/records/calls-time.ts';

const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) => Date.UTC(y, mo - 1, d, h, mi, s, ms);

describe('call-log dates', () => {
  test.each([
    ['2023-11-15T07:13:20Z', 'UTC', utc(2023, 11, 15, 7, 13, 20)],
    ['2023-11-15T07:13:20.123Z', 'Asia/Tokyo', utc(2023, 11, 15, 7, 13, 20, 123)],
    ['2023-11-15T07:13:20+09:00', 'UTC', utc(2023, 11, 14, 22, 13, 20)],
    ['2023-11-15T07:13:20-0500', 'UTC', utc(2023, 11, 15, 12, 13, 20)],
    ['2023-11-15 07:13', 'Asia/Tokyo', utc(2023, 11, 14, 22, 13)],
    ['2023/11/15 7:13:20', 'Asia/Tokyo', utc(2023, 11, 14, 22, 13, 20)],
    ['2023年11月15日(水) 7:13', 'Asia/Tokyo', utc(2023, 11, 14, 22, 13)],
    ['2023/11/15 午後 3:05', 'Asia/Tokyo', utc(2023, 11, 15, 6, 5)],
    ['11/15/2023 12:00 AM', 'UTC', utc(2023, 11, 15, 0, 0)],
    ['11/15/2023 12:00 PM', 'UTC', utc(2023, 11, 15, 12, 0)],
    ['11/15/2023, 7:13:20 pm', 'UTC', utc(2023, 11, 15, 19, 13, 20)],
    ['15.11.2023 07:13', 'Europe/Berlin', utc(2023, 11, 15, 6, 13)],
    ['2023-07-01 12:00', 'Europe/Berlin', utc(2023, 7, 1, 10, 0)],
    ['2023-03-12 03:30', 'America/New_York', utc(2023, 3, 12, 7, 30)],
    ['2023-11-05 00:30', 'America/New_York', utc(2023, 11, 5, 4, 30)],
    ['２０２３/１１/１５ ０７:１３', 'UTC', utc(2023, 11, 15, 7, 13)],
    ['1700000000000', 'Asia/Tokyo', 1700000000000],
    ['1700000000', 'UTC', 1700000000000],
    ['2023-11-15', 'UTC', utc(2023, 11, 15)],
  ])('%s in %s', (text, zone, expected) => {
    expect(parseCallDate(text, zone)).toBe(expected);
  });

  test.each(['', 'yesterday', '2023-02-30 10:00', '2023-11-15 24:00', '13/15/2023 1:00 PM', '11/15/2023 13:00 PM', '2023-11-15 10:61', '0999-01-01'])(
    '%s is no date',
    (text) => {
      expect(parseCallDate(text, 'UTC')).toBeUndefined();
    },
  );
});

describe('call-log durations', () => {
  test.each([
    ['', 0],
    ['65', 65],
    ['65.4', 65],
    ['1:05', 65],
    ['0:01:05', 65],
    ['01:02:03', 3723],
    ['1分5秒', 65],
    ['65秒', 65],
    ['1時間2分3秒', 3723],
    ['2分', 120],
    ['１分５秒', 65],
    ['1h 2m 3s', 3723],
    ['5 min', 300],
    ['90 sec', 90],
  ])('%s is %i s', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  test.each(['ten', '1:2:3:4', '-5', '分', '1:75x'])('%s is no duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
