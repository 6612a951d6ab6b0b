/**
 * Per-key mutual exclusion inside one process: the chunk lock of the single-process stores
 * (SQLite, memory). PostgreSQL, shared by several instances, uses advisory locks instead
 * (MetaStore.withChunkLock).
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await task();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/**
 * The locks of a store that one process owns (SQLite, memory): MetaStore's withChunkLock and
 * runAlone, kept in this process's memory since no other process shares the store.
 */
export class ProcessLocks {
  private readonly chunks = new KeyedMutex();
  private readonly running = new Set<string>();

  withChunkLock<T>(accountId: string, id: string, task: () => Promise<T>): Promise<T> {
    return this.chunks.run(`${accountId}/${id}`, task);
  }

  async runAlone<T>(name: string, task: () => Promise<T>): Promise<T | undefined> {
    if (this.running.has(name)) return undefined;
    this.running.add(name);
    try {
      return await task();
    } finally {
      this.running.delete(name);
    }
  }
}
