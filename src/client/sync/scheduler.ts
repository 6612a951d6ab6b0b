/**
 * When the sync engine runs (DESIGN.md section 5): at start, when the browser comes online, when
 * the page becomes visible, on the service worker's Background Sync wake-up, after each backup run,
 * and on a timer: soon after a failure (exponential backoff with jitter), rarely once in sync.
 * An error that needs the user (signed out, quota full) waits for `kick()`. Pause stops all of it.
 */
import type { SyncEngine, SyncState } from './engine.ts';

export interface WakeSources {
  /** Each returns an unsubscribe function. */
  onOnline(wake: () => void): () => void;
  onVisible(wake: () => void): () => void;
  onBackgroundSync(wake: () => void): () => void;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export type ScheduledState = SyncState | { readonly kind: 'paused' };

export interface SchedulerOptions {
  readonly engine: Pick<SyncEngine, 'run'>;
  readonly wakes: WakeSources;
  readonly timers?: Timers;
  readonly random?: () => number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** How often to look again while in sync (another device may have nothing to do with it, but a
   * failed earlier wake-up might). */
  readonly idleDelayMs?: number;
  readonly onState?: (state: ScheduledState) => void;
}

export class SyncScheduler {
  private timer: unknown;
  private failures = 0;
  private paused = false;
  private unsubscribe: (() => void)[] = [];
  private readonly timers: Timers;

  constructor(private readonly options: SchedulerOptions) {
    this.timers = options.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as number) };
  }

  start(): void {
    const wake = () => void this.kick();
    const { wakes } = this.options;
    this.unsubscribe = [wakes.onOnline(wake), wakes.onVisible(wake), wakes.onBackgroundSync(wake)];
    void this.kick();
  }

  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    this.clearTimer();
  }

  pause(): void {
    this.paused = true;
    this.clearTimer();
    this.options.onState?.({ kind: 'paused' });
  }

  resume(): void {
    this.paused = false;
    void this.kick();
  }

  /** Runs the engine now (unless paused) and plans the next run from how it ended. */
  async kick(): Promise<ScheduledState> {
    if (this.paused) return { kind: 'paused' };
    this.clearTimer();
    const state = await this.options.engine.run();
    if (this.paused) return { kind: 'paused' };
    this.options.onState?.(state);
    this.plan(state);
    return state;
  }

  private plan(state: SyncState): void {
    const { baseDelayMs = 5_000, maxDelayMs = 15 * 60_000, idleDelayMs = 30 * 60_000, random = Math.random } = this.options;
    if (state.kind === 'in-sync') {
      this.failures = 0;
      this.schedule(idleDelayMs);
    } else if (state.kind === 'offline' || state.kind === 'waiting') {
      // Offline also waits for the online event; the timer covers a missed or lying event.
      const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** this.failures);
      this.failures++;
      this.schedule(delay / 2 + random() * (delay / 2));
    }
    // 'error' needs the user: no timer until kick() (a sign-in, a freed quota, a retry button).
  }

  private schedule(ms: number): void {
    this.timer = this.timers.setTimeout(() => void this.kick(), ms);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** The browser's wake-ups: the online event, the page becoming visible, the service worker's message. */
export function browserWakeSources(): WakeSources {
  const listen = (target: EventTarget | undefined, type: string, handler: (e: Event) => void) => {
    target?.addEventListener(type, handler);
    return () => target?.removeEventListener(type, handler);
  };
  return {
    onOnline: (wake) => listen(globalThis, 'online', wake),
    onVisible: (wake) => listen(globalThis.document, 'visibilitychange', () => globalThis.document?.visibilityState === 'visible' && wake()),
    onBackgroundSync: (wake) => {
      const container = globalThis.navigator?.serviceWorker;
      const off = listen(container, 'message', (e) => (e as MessageEvent).data?.type === 'kura-sync' && wake());
      // A listener added with addEventListener does not open the message queue; this does.
      container?.startMessages();
      return off;
    },
  };
}
