/**
 * A change the privacy center sends to the server from a button or a switch (suspend, resume, a
 * consent, a disconnect): whether it is running, why it failed, and the line announced once it is
 * done. Each run clears the last failure and announcement.
 */
export class Action {
  busy = $state(false);
  failure = $state<unknown>(undefined);
  announcement = $state('');

  /**
   * Runs the action (with whatever reload belongs to it); on success announces `done()`, asked
   * only then so it can read what the reload brought, and returns true. On failure keeps the error.
   */
  async run(action: () => Promise<void>, done: () => string): Promise<boolean> {
    this.busy = true;
    this.failure = undefined;
    this.announcement = '';
    try {
      await action();
      this.announcement = done();
      return true;
    } catch (error) {
      this.failure = error;
      return false;
    } finally {
      this.busy = false;
    }
  }
}
