import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { snapshotsToForget, type RetentionRule } from '../../src/core/retention.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);
const snaps = (...isos: string[]) => isos.map((iso, i) => ({ id: `s${i}`, createdAt: at(iso) }));
const kept = (list: { id: string; createdAt: number }[], rule: RetentionRule, offset = 0) => {
  const forget = new Set(snapshotsToForget(list, rule, offset).map((s) => s.id));
  return list.filter((s) => !forget.has(s.id)).map((s) => s.id);
};

describe('retention', () => {
  test('an empty rule forgets nothing', () => {
    expect(snapshotsToForget(snaps('2026-01-01T00:00Z', '2026-01-02T00:00Z'), {})).toEqual([]);
  });

  test('keep last N', () => {
    const list = snaps('2026-01-01T00:00Z', '2026-01-02T00:00Z', '2026-01-03T00:00Z', '2026-01-04T00:00Z');
    expect(kept(list, { last: 2 })).toEqual(['s2', 's3']);
  });

  test('within a device the counter decides which is newest, whatever the clock says', () => {
    const same = at('2026-01-01T00:00Z');
    // Two runs in the same millisecond, and a clock set back before the third: ids sort the wrong way.
    const list = [
      { id: 'z-first', createdAt: same, counter: 1 },
      { id: 'a-second', createdAt: same, counter: 2 },
      { id: 'm-third', createdAt: same - DAY, counter: 3 },
    ];
    expect(kept(list, { last: 2 })).toEqual(['a-second', 'm-third']);
  });

  test('daily keeps the newest of each of the newest N days', () => {
    const list = snaps('2026-03-01T08:00Z', '2026-03-01T20:00Z', '2026-03-02T09:00Z', '2026-03-03T07:00Z', '2026-03-03T23:00Z');
    expect(kept(list, { daily: 2 })).toEqual(['s2', 's4']);
  });

  test('days are the user’s: Tokyo (UTC+9) splits them elsewhere than UTC', () => {
    // 2026-03-01T14:00Z is 23:00 in Tokyo; 16:00Z is already the 2nd there.
    const list = snaps('2026-03-01T14:00Z', '2026-03-01T16:00Z');
    expect(kept(list, { daily: 5 }, 0)).toEqual(['s1']);
    expect(kept(list, { daily: 5 }, 9 * 60)).toEqual(['s0', 's1']);
  });

  test('weekly uses ISO weeks (Monday to Sunday) and monthly calendar months', () => {
    // 2026-01-04 is a Sunday (week 1), 2026-01-05 a Monday (week 2).
    const list = snaps('2026-01-03T12:00Z', '2026-01-04T12:00Z', '2026-01-05T12:00Z', '2026-02-10T12:00Z');
    expect(kept(list, { weekly: 3 })).toEqual(['s1', 's2', 's3']);
    expect(kept(list, { monthly: 1 })).toEqual(['s3']);
    expect(kept(list, { monthly: 2 })).toEqual(['s2', 's3']);
  });

  test('clauses combine; the newest is always kept', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 400 * DAY }), { minLength: 1, maxLength: 60 }),
        fc.record({ last: fc.nat(5), daily: fc.nat(10), weekly: fc.nat(6), monthly: fc.nat(4) }),
        (times, rule) => {
          const list = times.map((t, i) => ({ id: `s${i}`, createdAt: at('2025-01-01T00:00Z') + t }));
          const forget = snapshotsToForget(list, rule);
          const newest = [...list].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))[0]!;
          const any = rule.last + rule.daily + rule.weekly + rule.monthly > 0;
          if (any) expect(forget.map((s) => s.id)).not.toContain(newest.id);
          else expect(forget).toEqual([]);
          // Keeping more never forgets more.
          const generous = snapshotsToForget(list, { last: rule.last + 1, daily: rule.daily, weekly: rule.weekly, monthly: rule.monthly });
          if (any) expect(generous.length).toBeLessThanOrEqual(forget.length);
        },
      ),
    );
  });
});
