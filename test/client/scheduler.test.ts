import { describe, expect, test } from 'vitest';
import type { SyncState } from '../../src/client/sync/engine.ts';
import { SyncScheduler, type ScheduledState, type WakeSources } from '../../src/client/sync/scheduler.ts';

/** Manual timers: the test advances time itself, nothing sleeps. */
function manualTimers() {
  let now = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  return {
    timers: {
      setTimeout: (fn: () => void, ms: number) => (pending.set(next, { at: now + ms, fn }), next++),
      clearTimeout: (h: unknown) => void pending.delete(h as number),
    },
    /** Delays of the timers now pending. */
    delays: () => [...pending.values()].map((p) => p.at - now),
    async advance(ms: number) {
      now += ms;
      for (const [id, p] of [...pending]) {
        if (p.at <= now) {
          pending.delete(id);
          p.fn();
        }
      }
      await new Promise((r) => setImmediate(r));
    },
  };
}

function wakeSources() {
  const handlers: Record<string, (() => void)[]> = { online: [], visible: [], sync: [] };
  const on = (k: string) => (wake: () => void) => (handlers[k]!.push(wake), () => (handlers[k] = handlers[k]!.filter((h) => h !== wake)));
  const wakes: WakeSources = { onOnline: on('online'), onVisible: on('visible'), onBackgroundSync: on('sync') };
  return { wakes, fire: (k: string) => handlers[k]!.forEach((h) => h()), count: (k: string) => handlers[k]!.length };
}

function scriptedEngine(states: SyncState[]) {
  let runs = 0;
  return { engine: { run: async () => states[Math.min(runs++, states.length - 1)]! }, runs: () => runs };
}

describe('sync scheduler', () => {
  test('runs at start; backs off with jitter after failures; resets once in sync', async () => {
    const t = manualTimers();
    const { engine, runs } = scriptedEngine([{ kind: 'offline' }, { kind: 'waiting', code: 'internal' }, { kind: 'waiting', code: 'internal' }, { kind: 'in-sync' }]);
    const seen: ScheduledState[] = [];
    const s = new SyncScheduler({ engine, wakes: wakeSources().wakes, timers: t.timers, random: () => 1, baseDelayMs: 1000, idleDelayMs: 60_000, onState: (x) => seen.push(x) });
    s.start();
    await t.advance(0);
    expect(runs()).toBe(1);
    expect(t.delays()).toEqual([1000]);
    await t.advance(1000);
    expect(t.delays()).toEqual([2000]);
    await t.advance(2000);
    expect(t.delays()).toEqual([4000]);
    await t.advance(4000);
    expect(seen.map((x) => x.kind)).toEqual(['offline', 'waiting', 'waiting', 'in-sync']);
    expect(t.delays()).toEqual([60_000]);
  });

  test('wakes on online, visibility and background sync; pause silences all; resume runs', async () => {
    const t = manualTimers();
    const w = wakeSources();
    const { engine, runs } = scriptedEngine([{ kind: 'in-sync' }]);
    const s = new SyncScheduler({ engine, wakes: w.wakes, timers: t.timers });
    s.start();
    await t.advance(0);
    for (const k of ['online', 'visible', 'sync']) {
      w.fire(k);
      await t.advance(0);
    }
    expect(runs()).toBe(4);
    s.pause();
    expect(t.delays()).toEqual([]);
    w.fire('online');
    await t.advance(10 * 60 * 60_000);
    expect(runs()).toBe(4);
    s.resume();
    await t.advance(0);
    expect(runs()).toBe(5);
    s.stop();
    expect([w.count('online'), w.count('visible'), w.count('sync')]).toEqual([0, 0, 0]);
  });

  test('an error that needs the user waits for a kick, with no timer', async () => {
    const t = manualTimers();
    const { engine, runs } = scriptedEngine([{ kind: 'error', code: 'unauthenticated' }, { kind: 'in-sync' }]);
    const s = new SyncScheduler({ engine, wakes: wakeSources().wakes, timers: t.timers });
    s.start();
    await t.advance(0);
    expect(t.delays()).toEqual([]);
    await t.advance(24 * 60 * 60_000);
    expect(runs()).toBe(1);
    expect(await s.kick()).toEqual({ kind: 'in-sync' });
  });
});
