/**
 * One restore, from choosing where to the result of every file: the choice (a folder with what to
 * do about files already there, or a zip), the run's progress as each file ends, and the outcome.
 * A later run (failed files again, or the rest after a cancel or an error) covers only the files
 * not yet restored or skipped, and its results replace theirs.
 */
import type { AppApi, Collision, RestoredFile } from '../../../client/app-api.ts';
import { isKuraError } from '../../../core/errors.ts';
import type { FileEntry } from '../../../core/manifest/snapshot.ts';
import { mergeResults, tally, zipName, type Tally } from './results.ts';

export type Destination = 'folder' | 'zip';
export type Phase = 'choose' | 'running' | 'finished';
/** 'complete': every file has its result; 'cancelled' by the user; 'error': the run as a whole failed. */
export type Outcome = 'complete' | 'cancelled' | 'error';

export class RestoreRun {
  phase = $state<Phase>('choose');
  destination = $state<Destination>('zip');
  collision = $state<Collision>('keep-both');
  /** The running run's files, and how many have ended. */
  total = $state(0);
  done = $state(0);
  live = $state<Tally>({ restored: 0, skipped: 0, failed: 0 });
  cancelling = $state(false);
  outcome = $state<Outcome | undefined>(undefined);
  error = $state.raw<unknown>(undefined);
  /** Every file's latest result, over all runs. */
  results = $state.raw<readonly RestoredFile[]>([]);
  readonly zipName: string;
  readonly bytes: number;
  /** The destination the results so far went to (the zip note is about this). */
  ranTo = $state<Destination | undefined>(undefined);

  constructor(
    private readonly api: AppApi,
    readonly entries: readonly FileEntry[],
    name: string,
    now = new Date(),
  ) {
    this.destination = api.capabilities.folderPicker ? 'folder' : 'zip';
    this.zipName = zipName(name, now);
    this.bytes = entries.reduce((sum, e) => sum + e.size, 0);
  }

  get canUseFolder(): boolean {
    return this.api.capabilities.folderPicker;
  }

  get summary(): Tally {
    return tally(this.results);
  }

  /** Files without a good result yet: failed ones, and those a cancel or an error never reached. */
  get remaining(): readonly FileEntry[] {
    const settled = new Set(this.results.filter((r) => r.status !== 'failed').map((r) => r.path));
    return this.entries.filter((e) => !settled.has(e.path));
  }

  /** Call inside the click: the folder picker needs the user's gesture. */
  start(): Promise<void> {
    return this.run(this.entries);
  }

  /** Failed files again, or the rest after a cancel or an error. Inside the click too. */
  again(): Promise<void> {
    return this.run(this.remaining);
  }

  cancel(): void {
    if (this.phase !== 'running' || this.cancelling) return;
    this.cancelling = true;
    this.api.cancelRestore();
  }

  /** The dialog went away mid-run (not through its buttons): stop writing. */
  dispose(): void {
    if (this.phase === 'running') this.api.cancelRestore();
  }

  private async run(entries: readonly FileEntry[]): Promise<void> {
    const before = { phase: this.phase, outcome: this.outcome, error: this.error };
    const destination = this.destination;
    const seen: RestoredFile[] = [];
    const onFile = (result: RestoredFile, index: number, total: number) => {
      seen[index] = result;
      this.total = total;
      this.done++;
      this.live = { ...this.live, [result.status]: this.live[result.status] + 1 };
    };
    this.total = entries.length;
    this.done = 0;
    this.live = { restored: 0, skipped: 0, failed: 0 };
    this.cancelling = false;
    this.outcome = undefined;
    this.error = undefined;
    this.phase = 'running';
    try {
      // No await before this call: it opens the folder picker, which needs the click's activation.
      const results = destination === 'folder' ? await this.api.restoreToFolder(entries, this.collision, onFile) : await this.api.restoreToZip(entries, this.zipName, onFile);
      if (results === undefined) {
        // The folder picker was closed: back to where the user was, nothing said.
        this.phase = before.phase;
        this.outcome = before.outcome;
        this.error = before.error;
        return;
      }
      this.results = mergeResults(this.results, results);
      this.outcome = 'complete';
    } catch (e) {
      this.results = mergeResults(this.results, seen.filter((r) => r !== undefined));
      this.outcome = isKuraError(e, 'cancelled') ? 'cancelled' : 'error';
      this.error = e;
    }
    this.ranTo = destination;
    this.cancelling = false;
    this.phase = 'finished';
  }
}
