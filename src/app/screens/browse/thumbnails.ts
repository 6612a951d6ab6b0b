/**
 * Thumbnails for the grid, as object URLs. A tile asks when it is rendered and cancels when it is
 * scrolled away, so a fast fling costs nothing: only the tiles on screen wait in the queue, a few
 * are fetched at a time (each one is a decrypt in the engine worker), and the most recently used
 * URLs are kept; the oldest are revoked when the cache is full, all of them on dispose.
 */
import type { ChunkId } from '../../../core/ids.ts';

export interface ThumbnailOptions {
  readonly concurrency: number;
  /** Object URLs kept; more than a large screen shows at once, so nothing on screen is revoked. */
  readonly capacity: number;
  readonly createUrl: (blob: Blob) => string;
  readonly revokeUrl: (url: string) => void;
}

interface Waiter {
  readonly ready: (url: string) => void;
  readonly failed: () => void;
}

export class ThumbnailCache {
  private readonly urls = new Map<ChunkId, string>(); // insertion order is recency order
  private readonly waiting = new Map<ChunkId, Set<Waiter>>();
  private readonly queue: ChunkId[] = [];
  private readonly failures = new Set<ChunkId>();
  private readonly options: ThumbnailOptions;
  private active = 0;
  private disposed = false;

  constructor(
    private readonly load: (id: ChunkId) => Promise<Blob>,
    options: Partial<ThumbnailOptions> = {},
  ) {
    this.options = {
      concurrency: 6,
      capacity: 600,
      createUrl: (blob) => URL.createObjectURL(blob),
      revokeUrl: (url) => URL.revokeObjectURL(url),
      ...options,
    };
  }

  /** The URL at once when it is cached (and marks it recently used). */
  peek(id: ChunkId): string | undefined {
    const url = this.urls.get(id);
    if (url !== undefined) {
      this.urls.delete(id);
      this.urls.set(id, url);
    }
    return url;
  }

  /** True when this thumbnail failed to load before (the tile shows its icon, without asking again). */
  hasFailed(id: ChunkId): boolean {
    return this.failures.has(id);
  }

  /** Asks for a thumbnail; `ready` or `failed` is called later. Returns the cancel function. */
  request(id: ChunkId, ready: (url: string) => void, failed: () => void = () => {}): () => void {
    if (this.disposed) return () => {};
    const waiter: Waiter = { ready, failed };
    let set = this.waiting.get(id);
    if (!set) {
      set = new Set();
      this.waiting.set(id, set);
      this.queue.push(id);
    }
    set.add(waiter);
    this.pump();
    return () => {
      const current = this.waiting.get(id);
      if (!current?.delete(waiter) || current.size > 0) return;
      // Nobody wants it any more: drop it if it has not started (a started one finishes and is kept).
      const queued = this.queue.indexOf(id);
      if (queued >= 0) {
        this.queue.splice(queued, 1);
        this.waiting.delete(id);
      }
    };
  }

  /** How many thumbnails are being fetched now (tests, and the bound the grid relies on). */
  get inFlight(): number {
    return this.active;
  }

  dispose(): void {
    this.disposed = true;
    this.queue.length = 0;
    this.waiting.clear();
    for (const url of this.urls.values()) this.options.revokeUrl(url);
    this.urls.clear();
  }

  private pump(): void {
    while (!this.disposed && this.active < this.options.concurrency && this.queue.length > 0) {
      const id = this.queue.shift()!;
      this.active++;
      this.load(id).then(
        (blob) => this.settle(id, blob),
        () => this.settle(id, undefined),
      );
    }
  }

  private settle(id: ChunkId, blob: Blob | undefined): void {
    this.active--;
    const waiters = this.waiting.get(id);
    this.waiting.delete(id);
    if (!this.disposed) {
      if (blob) {
        const url = this.options.createUrl(blob);
        this.urls.set(id, url);
        this.evict();
        for (const w of waiters ?? []) w.ready(url);
      } else {
        this.failures.add(id);
        for (const w of waiters ?? []) w.failed();
      }
    }
    this.pump();
  }

  private evict(): void {
    for (const [id, url] of this.urls) {
      if (this.urls.size <= this.options.capacity) break;
      this.urls.delete(id);
      this.options.revokeUrl(url);
    }
  }
}
