import { describe, expect, test, vi } from 'vitest';
import { ThumbnailCache } from '../../../src/app/screens/browse/thumbnails.ts';
import type { ChunkId } from '../../../src/core/ids.ts';
import { chunkId } from './fixtures.ts';

/** A loader whose calls the test settles one by one. */
function loader() {
  const pending = new Map<ChunkId, { resolve: (b: Blob) => void; reject: (e: unknown) => void }>();
  const load = vi.fn((id: ChunkId) => new Promise<Blob>((resolve, reject) => pending.set(id, { resolve, reject })));
  return { load, pending };
}

function urls() {
  let n = 0;
  return { createUrl: vi.fn(() => `blob:thumb-${++n}`), revokeUrl: vi.fn() };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('thumbnail cache', () => {
  test('fetches at most `concurrency` at once and starts the next as one finishes', async () => {
    const { load, pending } = loader();
    const cache = new ThumbnailCache(load, { concurrency: 2, ...urls() });
    const ready = vi.fn();
    for (let i = 0; i < 5; i++) cache.request(chunkId(i), ready);
    expect(load).toHaveBeenCalledTimes(2);
    pending.get(chunkId(0))!.resolve(new Blob(['x']));
    await flush();
    expect(ready).toHaveBeenCalledWith('blob:thumb-1');
    expect(load).toHaveBeenCalledTimes(3);
    expect(cache.inFlight).toBe(2);
  });

  test('a tile scrolled away before its turn is never fetched', async () => {
    const { load, pending } = loader();
    const cache = new ThumbnailCache(load, { concurrency: 1, ...urls() });
    cache.request(chunkId(0), () => {});
    const cancel = cache.request(chunkId(1), () => {});
    cache.request(chunkId(2), () => {});
    cancel();
    pending.get(chunkId(0))!.resolve(new Blob(['x']));
    await flush();
    expect(load.mock.calls.map((c) => c[0])).toEqual([chunkId(0), chunkId(2)]);
  });

  test('two tiles asking for one thumbnail share one fetch, and a cached one comes at once', async () => {
    const { load, pending } = loader();
    const cache = new ThumbnailCache(load, urls());
    const a = vi.fn();
    const b = vi.fn();
    cache.request(chunkId(7), a);
    cache.request(chunkId(7), b);
    pending.get(chunkId(7))!.resolve(new Blob(['x']));
    await flush();
    expect(load).toHaveBeenCalledTimes(1);
    expect(a).toHaveBeenCalledWith('blob:thumb-1');
    expect(b).toHaveBeenCalledWith('blob:thumb-1');
    expect(cache.peek(chunkId(7))).toBe('blob:thumb-1');
  });

  test('the least recently used URLs are revoked past the capacity, and all on dispose', async () => {
    const { load, pending } = loader();
    const made = urls();
    const cache = new ThumbnailCache(load, { capacity: 2, ...made });
    for (let i = 0; i < 3; i++) {
      cache.request(chunkId(i), () => {});
      pending.get(chunkId(i))!.resolve(new Blob(['x']));
      await flush();
      if (i === 1) cache.peek(chunkId(0)); // 0 used again: 1 is now the oldest
    }
    expect(made.revokeUrl.mock.calls).toEqual([['blob:thumb-2']]);
    expect(cache.peek(chunkId(1))).toBeUndefined();
    cache.dispose();
    expect(made.revokeUrl.mock.calls.flat().sort()).toEqual(['blob:thumb-1', 'blob:thumb-2', 'blob:thumb-3']);
  });

  test('a failed thumbnail calls back `failed`, is remembered, and one arriving after dispose makes no URL', async () => {
    const { load, pending } = loader();
    const made = urls();
    const cache = new ThumbnailCache(load, made);
    const failed = vi.fn();
    cache.request(chunkId(1), () => {}, failed);
    cache.request(chunkId(2), () => {});
    pending.get(chunkId(1))!.reject(new Error('gone'));
    await flush();
    expect(failed).toHaveBeenCalledOnce();
    expect(cache.hasFailed(chunkId(1))).toBe(true);
    cache.dispose();
    pending.get(chunkId(2))!.resolve(new Blob(['x']));
    await flush();
    expect(made.createUrl).not.toHaveBeenCalled();
  });
});
