/**
 * The call log as rows for a virtual list: a heading row for each day (in the user's zone), then
 * that day's calls. Rows point into the filtered array (indexes, never copies), so tens of
 * thousands of calls cost one pass.
 */
import type { Call } from '../../../../core/records/calls-model.ts';
import { dayOf, type Day } from '../calendar/month-grid.ts';

export type CallRow = { readonly kind: 'day'; readonly day: Day; readonly count: number } | { readonly kind: 'call'; readonly index: number };

export const DAY_HEIGHT = 44;
export const CALL_HEIGHT = 64;

/** Each call's day per zone, kept while the call object lives: a new filter regroups without Intl. */
const dayCache = new Map<string, WeakMap<Call, Day>>();

function dayOfCall(call: Call, zone: string): Day {
  let days = dayCache.get(zone);
  if (!days) dayCache.set(zone, (days = new WeakMap()));
  let day = days.get(call);
  if (day === undefined) days.set(call, (day = dayOf(call.start, zone)));
  return day;
}

/** `calls` newest first. */
export function callRows(calls: readonly Call[], zone: string): CallRow[] {
  const rows: CallRow[] = [];
  let header: { kind: 'day'; day: Day; count: number } | undefined;
  for (let i = 0; i < calls.length; i++) {
    const day = dayOfCall(calls[i]!, zone);
    if (header?.day !== day) rows.push((header = { kind: 'day', day, count: 0 }));
    header.count++;
    rows.push({ kind: 'call', index: i });
  }
  return rows;
}

/** What a call shows for who: the contact name, the number, or why there is none. */
export type Caller = { readonly text: string } | { readonly key: 'private' | 'unknown' | 'payphone' };

export function callerOf(call: Call): Caller {
  if (call.name) return { text: call.name };
  if (call.presentation === 'restricted') return { key: 'private' };
  if (call.presentation === 'payphone') return { key: 'payphone' };
  if (call.presentation === 'unknown' || !call.number.trim()) return { key: 'unknown' };
  return { text: call.number };
}

/** Calls that never connected have no duration to show. */
export function hasDuration(call: Call): boolean {
  return call.type !== 'missed' && call.type !== 'rejected' && call.type !== 'blocked';
}
