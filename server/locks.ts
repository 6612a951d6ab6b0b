/**
 * Per-key mutual exclusion inside one process: a PUT of a chunk and the garbage collector never
 * interleave on the same (account, chunk), so a chunk cannot be collected between its upload's
 * existence check and its row being written. (Several instances need a database lock: issue 8.)
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
