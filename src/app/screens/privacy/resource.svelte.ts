/**
 * One thing the privacy center fetches from the server: its last value, whether a load is running,
 * and the error of the last one. The value loaded stays when a later load fails, so a screen can
 * show it with the error beside it.
 */
export class Resource<T> {
  value = $state<T | undefined>(undefined);
  loading = $state(false);
  error = $state<unknown>(undefined);
  private generation = 0;

  constructor(private readonly fetch: () => Promise<T>) {}

  async load(): Promise<void> {
    const mine = ++this.generation;
    this.loading = true;
    this.error = undefined;
    try {
      const value = await this.fetch();
      // A newer load (the language changed, Try again) wins over a slower older one.
      if (mine === this.generation) this.value = value;
    } catch (e) {
      if (mine === this.generation) this.error = e;
    } finally {
      if (mine === this.generation) this.loading = false;
    }
  }
}
