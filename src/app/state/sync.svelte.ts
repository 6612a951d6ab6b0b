/**
 * The sync state, always visible: one stream from the sync loop (offline / waiting / uploading /
 * in sync / error / paused) plus what is still staged on this device.
 */
import type { AppApi, ScheduledState } from '../../client/app-api.ts';

export class SyncStatus {
  state = $state<ScheduledState | undefined>(undefined);
  pendingCommits = $state(0);
  stagedBytes = $state(0);
  private stop: (() => void) | undefined;

  constructor(private readonly api: AppApi) {}

  start(): void {
    if (this.stop) return;
    this.stop = this.api.watchSync((state) => {
      this.state = state;
      if (state.kind !== 'uploading') void this.refreshPending();
    });
    void this.refreshPending();
  }

  halt(): void {
    this.stop?.();
    this.stop = undefined;
    this.state = undefined;
  }

  async refreshPending(): Promise<void> {
    try {
      const { commits, stagedBytes } = await this.api.pending();
      this.pendingCommits = commits;
      this.stagedBytes = stagedBytes;
      this.api.setBadge(commits);
    } catch {
      // Locked or signed out meanwhile: the figures stay as they were.
    }
  }

  syncNow(): void {
    this.api.syncNow();
  }

  togglePause(): void {
    if (this.state?.kind === 'paused') this.api.resumeSync();
    else this.api.pauseSync();
  }
}
