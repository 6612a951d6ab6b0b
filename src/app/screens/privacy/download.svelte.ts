/**
 * A file the privacy center has the server prepare and the browser save (the disclosure archive,
 * the consent receipts, the access log): whether it is being prepared, then whether the download
 * started or why it did not. Each start clears the last outcome.
 */
export class Download {
  preparing = $state(false);
  outcome = $state<'started' | { error: unknown } | undefined>(undefined);

  async start(fetch: () => Promise<void>): Promise<void> {
    this.preparing = true;
    this.outcome = undefined;
    try {
      await fetch();
      this.outcome = 'started';
    } catch (error) {
      this.outcome = { error };
    } finally {
      this.preparing = false;
    }
  }
}
