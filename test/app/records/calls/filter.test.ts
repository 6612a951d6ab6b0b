import { describe, expect, test } from 'vitest';
import { makeCall, type CallType } from '../../../../src/core/records/calls-model.ts';
import { filterCalls, matchesQuery, nationalDigits, NO_FILTER, searchedNumber } from '../../../../src/app/screens/records/calls/filter.ts';
import { callerOf, callRows } from '../../../../src/app/screens/records/calls/rows.ts';

const call = (number: string, start: string, type: CallType = 'incoming', name?: string) => makeCall({ number, start: Date.parse(start), type, durationSeconds: 60, name });

describe('search by number', () => {
  test('digits only, full-width folded, whatever the punctuation', () => {
    const c = call('09012345678', '2024-04-01T00:00:00Z');
    expect(matchesQuery(c, '090 1234')).toBe(true);
    expect(matchesQuery(c, '０９０－１２３４')).toBe(true);
    expect(matchesQuery(c, '(090) 1234-5678')).toBe(true);
    expect(matchesQuery(c, '5678')).toBe(true);
    expect(matchesQuery(c, '090 9999')).toBe(false);
  });

  test('an international number finds the national one and the other way round', () => {
    const national = call('09012345678', '2024-04-01T00:00:00Z');
    const international = call('+81 90-1234-5678', '2024-04-01T00:00:00Z');
    expect(matchesQuery(national, '+81 90-1234-5678')).toBe(true);
    expect(matchesQuery(international, '090 1234')).toBe(true);
    expect(matchesQuery(international, '9012345678')).toBe(true);
    expect(matchesQuery(international, '+44 90 1234')).toBe(true); // same national digits: a search, not a dialler
    expect(matchesQuery(international, '080 1234')).toBe(false);
  });

  test('country codes are read as the prefix-free E.164 codes', () => {
    expect(nationalDigits('+819012345678')).toBe('9012345678');
    expect(nationalDigits('+12025550123')).toBe('2025550123');
    expect(nationalDigits('+353871234567')).toBe('871234567');
    expect(nationalDigits('0081312345678')).toBe('312345678');
    expect(nationalDigits('0312345678')).toBe('312345678');
    expect(searchedNumber('Hanako')).toBeUndefined();
    expect(searchedNumber('+81 (90)')).toEqual({ digits: '8190', national: '90' });
  });
});

describe('search by name', () => {
  test('case and width folded, spaces collapsed', () => {
    const c = call('09012345678', '2024-04-01T00:00:00Z', 'incoming', 'Hanako  Yamada');
    expect(matchesQuery(c, 'hanako yamada')).toBe(true);
    expect(matchesQuery(c, 'ＨＡＮＡＫＯ')).toBe(true);
    expect(matchesQuery(c, 'taro')).toBe(false);
    const jp = call('09012345678', '2024-04-01T00:00:00Z', 'incoming', 'ﾔﾏﾀﾞ ﾊﾅｺ');
    expect(matchesQuery(jp, 'ヤマダ')).toBe(true);
    expect(matchesQuery(jp, 'やまだ')).toBe(true); // hiragana finds katakana
    expect(matchesQuery(call('0', '2024-04-01T00:00:00Z', 'incoming', 'さとう'), 'サトウ')).toBe(true);
    expect(matchesQuery(jp, '')).toBe(true);
  });
});

describe('filter', () => {
  const calls = [
    call('0311112222', '2024-04-01T14:59:00Z', 'outgoing'), // 23:59 on 1 April in Tokyo
    call('0311112222', '2024-04-01T15:00:00Z', 'missed'), // 00:00 on 2 April in Tokyo
    call('0311112222', '2024-04-03T03:00:00Z', 'incoming'),
  ];

  test('newest first; by type', () => {
    expect(filterCalls(calls, NO_FILTER, 'Asia/Tokyo').map((c) => c.type)).toEqual(['incoming', 'missed', 'outgoing']);
    expect(filterCalls(calls, { ...NO_FILTER, type: 'missed' }, 'Asia/Tokyo').map((c) => c.type)).toEqual(['missed']);
  });

  test('dates are whole days in the user’s zone, both ends included', () => {
    expect(filterCalls(calls, { ...NO_FILTER, from: '2024-04-02', to: '2024-04-02' }, 'Asia/Tokyo').map((c) => c.type)).toEqual(['missed']);
    expect(filterCalls(calls, { ...NO_FILTER, to: '2024-04-01' }, 'Asia/Tokyo').map((c) => c.type)).toEqual(['outgoing']);
    expect(filterCalls(calls, { ...NO_FILTER, from: '2024-04-02' }, 'Asia/Tokyo').map((c) => c.type)).toEqual(['incoming', 'missed']);
    // In UTC both of the first two fall on 1 April.
    expect(filterCalls(calls, { ...NO_FILTER, to: '2024-04-01' }, 'UTC').map((c) => c.type)).toEqual(['missed', 'outgoing']);
  });
});

describe('rows', () => {
  test('a heading per day in the zone, then that day’s calls', () => {
    const sorted = [call('1', '2024-04-02T01:00:00Z'), call('2', '2024-04-01T16:00:00Z'), call('3', '2024-04-01T10:00:00Z')];
    expect(callRows(sorted, 'Asia/Tokyo')).toEqual([
      { kind: 'day', day: '2024-04-02', count: 2 },
      { kind: 'call', index: 0 },
      { kind: 'call', index: 1 },
      { kind: 'day', day: '2024-04-01', count: 1 },
      { kind: 'call', index: 2 },
    ]);
  });

  test('who: the name, the number, or why there is none', () => {
    expect(callerOf(makeCall({ number: '090', name: 'Hana', type: 'incoming', start: 0, durationSeconds: 0 }))).toEqual({ text: 'Hana' });
    expect(callerOf(makeCall({ number: '090', type: 'incoming', start: 0, durationSeconds: 0 }))).toEqual({ text: '090' });
    expect(callerOf(makeCall({ number: '', type: 'incoming', start: 0, durationSeconds: 0, presentation: 'restricted' }))).toEqual({ key: 'private' });
    expect(callerOf(makeCall({ number: '', type: 'incoming', start: 0, durationSeconds: 0, presentation: 'payphone' }))).toEqual({ key: 'payphone' });
    expect(callerOf(makeCall({ number: '', type: 'incoming', start: 0, durationSeconds: 0 }))).toEqual({ key: 'unknown' });
  });
});
