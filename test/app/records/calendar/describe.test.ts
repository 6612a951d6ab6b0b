import { beforeAll, describe, expect, test } from 'vitest';
import { get } from 'svelte/store';
import { format, locale } from 'svelte-i18n';
import { startI18n } from '../../../../src/app/i18n/index.ts';
import { describeAlarm, describeRule, durationWords, parseRule, type Translate } from '../../../../src/app/screens/records/calendar/describe.ts';

function translator(language: 'en' | 'ja'): Translate {
  startI18n(language);
  return (key, values) => {
    locale.set(language);
    return get(format)(key, values ? { values } : undefined);
  };
}

beforeAll(() => void startI18n('en'));

describe('recurrence in words', () => {
  test('English', () => {
    const t = translator('en');
    const say = (rule: string) => describeRule(rule, t, 'en', 'Asia/Tokyo');
    expect(say('FREQ=DAILY')).toBe('Every day');
    expect(say('FREQ=DAILY;INTERVAL=3')).toBe('Every 3 days');
    expect(say('FREQ=WEEKLY;BYDAY=MO')).toBe('Every week on Monday');
    expect(say('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE')).toBe('Every 2 weeks on Monday and Wednesday');
    expect(say('FREQ=MONTHLY;BYDAY=2TU')).toBe('Every month on the second Tuesday');
    expect(say('FREQ=MONTHLY;BYDAY=-1FR')).toBe('Every month on the last Friday');
    expect(say('FREQ=MONTHLY;BYMONTHDAY=25')).toBe('Every month on day 25');
    expect(say('FREQ=YEARLY')).toBe('Every year');
    expect(say('FREQ=WEEKLY;BYDAY=MO;COUNT=10')).toBe('Every week on Monday, 10 times');
    expect(say('FREQ=DAILY;COUNT=1')).toBe('Every day, one time');
    expect(say('FREQ=WEEKLY;UNTIL=20240630')).toBe('Every week, until June 30, 2024');
    // A UTC UNTIL is an instant: 15:00 UTC on the 30th is already 1 July in Tokyo.
    expect(say('FREQ=WEEKLY;UNTIL=20240630T150000Z')).toBe('Every week, until July 1, 2024');
  });

  test('Japanese', () => {
    const t = translator('ja');
    const say = (rule: string) => describeRule(rule, t, 'ja', 'Asia/Tokyo');
    expect(say('FREQ=DAILY')).toBe('毎日');
    expect(say('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE')).toBe('2週間ごとの月曜日、水曜日');
    expect(say('FREQ=MONTHLY;BYDAY=2TU')).toBe('毎月の第2火曜日');
    expect(say('FREQ=MONTHLY;BYMONTHDAY=25;COUNT=12')).toBe('毎月の25日（12回）');
    expect(say('FREQ=YEARLY;UNTIL=20300101')).toBe('毎年（2030年1月1日まで）');
  });

  test('anything else is left to the raw text', () => {
    expect(parseRule('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1')).toBeUndefined();
    expect(parseRule('FREQ=HOURLY')).toBeUndefined();
    expect(parseRule('FREQ=DAILY;BYDAY=MO')).toBeUndefined();
    expect(parseRule('FREQ=MONTHLY;BYDAY=-2MO')).toBeUndefined();
    expect(parseRule('FREQ=YEARLY;BYMONTH=3;BYDAY=2SU')).toBeUndefined();
    expect(parseRule('INTERVAL=2')).toBeUndefined();
    expect(parseRule('FREQ=WEEKLY;WKST=MO;BYDAY=SU')).toEqual({ freq: 'WEEKLY', interval: 1, byDay: [{ day: 0 }] });
  });
});

describe('alarms in words', () => {
  test('relative and absolute triggers', () => {
    const t = translator('en');
    const say = (trigger: { relative: string; related?: 'END' } | { absolute: string }) => describeAlarm({ action: 'DISPLAY', trigger }, t, 'en', 'Asia/Tokyo');
    expect(say({ relative: '-PT15M' })).toBe('15 minutes before');
    expect(say({ relative: '-PT1H30M' })).toBe('1 hour, 30 minutes before');
    expect(say({ relative: '-P1D' })).toBe('1 day before');
    expect(say({ relative: '-P1W' })).toBe('7 days before');
    expect(say({ relative: 'PT0S' })).toBe('At the start');
    expect(say({ relative: '-PT5M', related: 'END' })).toBe('5 minutes before the end');
    expect(say({ absolute: '2024-03-11T22:00:00Z' })).toBe('At Mar 12, 2024, 7:00 AM');
    expect(say({ relative: 'garbage' })).toBe('garbage');
  });

  test('Japanese', () => {
    const t = translator('ja');
    expect(describeAlarm({ action: 'DISPLAY', trigger: { relative: '-PT15M' } }, t, 'ja', 'Asia/Tokyo')).toBe('15 分前');
    expect(durationWords('P', 'en')).toBeUndefined();
  });
});
