import { describe, expect, test } from 'vitest';
import { addDays, addMonths, dayOf, gridRange, monthGrid, startOfDay, weekdayOrder } from '../../../../src/app/screens/records/calendar/month-grid.ts';

describe('month grid', () => {
  test('April 2024 from Sunday: five weeks from 31 March to 4 May', () => {
    const grid = monthGrid({ year: 2024, month: 4 }, 0);
    expect(grid.weeks).toHaveLength(5);
    expect(grid.weeks[0]![0]).toBe('2024-03-31');
    expect(grid.weeks[0]![1]).toBe('2024-04-01');
    expect(grid.weeks.at(-1)!.at(-1)).toBe('2024-05-04');
    expect(grid.from).toBe('2024-03-31');
    expect(grid.to).toBe('2024-05-05');
    expect(grid.weeks.every((w) => w.length === 7)).toBe(true);
  });

  test('a month starting on the first weekday has no leading days; Monday-first shifts the grid', () => {
    expect(monthGrid({ year: 2024, month: 9 }, 0).weeks[0]![0]).toBe('2024-09-01');
    expect(monthGrid({ year: 2024, month: 9 }, 1).weeks[0]![0]).toBe('2024-08-26');
    expect(monthGrid({ year: 2026, month: 2 }, 0).weeks).toHaveLength(4); // Feb 2026 starts on a Sunday, 28 days
    expect(weekdayOrder(1)).toEqual([1, 2, 3, 4, 5, 6, 0]);
  });

  test('month arithmetic crosses years', () => {
    expect(addMonths({ year: 2024, month: 12 }, 1)).toEqual({ year: 2025, month: 1 });
    expect(addMonths({ year: 2024, month: 1 }, -1)).toEqual({ year: 2023, month: 12 });
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  test('America/New_York in March: the day the clocks go forward is 23 hours long', () => {
    const zone = 'America/New_York';
    expect(new Date(startOfDay('2024-03-10', zone)).toISOString()).toBe('2024-03-10T05:00:00.000Z');
    expect(new Date(startOfDay('2024-03-11', zone)).toISOString()).toBe('2024-03-11T04:00:00.000Z');
    expect(startOfDay('2024-03-11', zone) - startOfDay('2024-03-10', zone)).toBe(23 * 3600_000);
    // 23:30 on the 10th (EDT) is still the 10th there, and the 11th in UTC.
    expect(dayOf(Date.parse('2024-03-11T03:30:00Z'), zone)).toBe('2024-03-10');
    const range = gridRange(monthGrid({ year: 2024, month: 3 }, 0), zone);
    expect(range).toEqual({ from: '2024-02-25T05:00:00.000Z', to: '2024-04-07T04:00:00.000Z' });
  });

  test('Asia/Tokyo: days start at 15:00 UTC the day before', () => {
    expect(new Date(startOfDay('2024-04-01', 'Asia/Tokyo')).toISOString()).toBe('2024-03-31T15:00:00.000Z');
    expect(dayOf(Date.parse('2024-03-31T15:00:00Z'), 'Asia/Tokyo')).toBe('2024-04-01');
    expect(dayOf(Date.parse('2024-03-31T14:59:59Z'), 'Asia/Tokyo')).toBe('2024-03-31');
  });
});
