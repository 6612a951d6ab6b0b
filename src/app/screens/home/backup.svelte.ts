/**
 * The Home screen's backing up: the sources, the one run going at a time (further requests wait
 * in a queue), its progress, pause/resume/cancel, the outcome of each run, and the run a crash or
 * reload cut short. After every run the sources, the pending count and the sync are refreshed, and
 * a notification is sent when the user asked for them.
 */
import { get } from 'svelte/store';
import { _ } from 'svelte-i18n';
import type { AppApi, BackupProgress, BackupResult, Interrupted, SourceSummary } from '../../../client/app-api.ts';
import { isKuraError } from '../../../core/errors.ts';
import { errorKey } from '../../state/errors.ts';
import type { PreferencesState } from '../../state/preferences.svelte.ts';
import type { SyncStatus } from '../../state/sync.svelte.ts';
import { formatNumber } from '../../i18n/format.ts';

export type Translate = (key: string, values?: Record<string, string | number>) => string;
type OnProgress = (progress: BackupProgress) => void;

/** A run, going or waiting its turn. `key` is the source id, or a fresh one for picked files. */
export interface Job {
  readonly key: string;
  /** Undefined for files from an `<input>` (they are no kept source). */
  readonly sourceId: string | undefined;
  readonly name: string;
}

interface QueuedJob extends Job {
  readonly start: (onProgress: OnProgress) => Promise<BackupResult | undefined>;
}

export type Outcome = Job &
  (
    | { readonly kind: 'done'; readonly result: BackupResult }
    | { readonly kind: 'cancelled' }
    | { readonly kind: 'failed'; readonly error: unknown }
  );

export interface BackupOptions {
  /** Text for notifications and announcements, in the language in use. */
  readonly translate?: Translate;
  /** Called after each run, once the sources are refreshed (the storage meters, for one). */
  readonly afterRun?: () => void | Promise<void>;
}

const defaultTranslate: Translate = (key, values) => get(_)(key, values ? { values } : undefined);

/** The name of what an `<input>` gave: the folder's (first segment of the relative path) or the first file's. */
export function inputName(files: readonly File[]): string {
  const first = files[0];
  if (!first) return '';
  // Files shared to the app or opened with it have no relative path (and jsdom's none at all).
  return (first.webkitRelativePath || '').split('/').find((part) => part !== '') ?? first.name;
}

export class BackupState {
  /** Undefined while loading. */
  sources = $state.raw<readonly SourceSummary[] | undefined>(undefined);
  sourcesError = $state.raw<unknown>(undefined);
  interrupted = $state.raw<Interrupted | undefined>(undefined);
  running = $state.raw<Job | undefined>(undefined);
  progress = $state.raw<BackupProgress | undefined>(undefined);
  paused = $state(false);
  cancelling = $state(false);
  queue = $state.raw<readonly QueuedJob[]>([]);
  /** The latest outcome per source (or picked set of files), newest first. */
  outcomes = $state.raw<readonly Outcome[]>([]);
  /** Why adding a source failed (a translation key), shown by the add buttons. */
  addError = $state<string | undefined>(undefined);
  /** A message per source id (a translation key): reconnect refused or failed. */
  sourceNotices = $state.raw<Readonly<Record<string, string>>>({});
  /** What the polite live region says: start, pause, resume, the end of a run. Never each tick. */
  announcement = $state('');

  private readonly translate: Translate;
  private readonly afterRun: (() => void | Promise<void>) | undefined;
  private draining = false;
  private inputCount = 0;

  constructor(
    private readonly api: AppApi,
    private readonly prefs: PreferencesState,
    private readonly sync: SyncStatus,
    options: BackupOptions = {},
  ) {
    this.translate = options.translate ?? defaultTranslate;
    this.afterRun = options.afterRun;
  }

  load(): Promise<void> {
    return Promise.all([this.loadSources(), this.loadInterrupted()]).then(() => undefined);
  }

  async loadSources(): Promise<void> {
    try {
      this.sources = await this.api.sources();
      this.sourcesError = undefined;
    } catch (e) {
      this.sourcesError = e;
    }
  }

  async loadInterrupted(): Promise<void> {
    try {
      const found = await this.api.interrupted();
      // Not while that very run is being resumed.
      this.interrupted = found && !this.isBusy(found.sourceId) ? found : undefined;
    } catch {
      // Nothing to offer: the source's next run takes up its checkpoint anyway.
      this.interrupted = undefined;
    }
  }

  /** Running now or waiting its turn. */
  isBusy(key: string): boolean {
    return this.running?.key === key || this.queue.some((job) => job.key === key);
  }

  isQueued(key: string): boolean {
    return this.queue.some((job) => job.key === key);
  }

  backUp(source: Pick<SourceSummary, 'id' | 'name'>): void {
    this.enqueue({ key: source.id, sourceId: source.id, name: source.name, start: (onProgress) => this.api.backUp(source.id, onProgress) });
  }

  /** Files from the fallback `<input>`s: backed up at once (they cannot be kept as a source). */
  backUpFiles(files: readonly File[]): void {
    if (files.length === 0) return;
    const name = inputName(files);
    this.enqueue({ key: `input-${++this.inputCount}`, sourceId: undefined, name, start: (onProgress) => this.api.backUpInputFiles(files, name, onProgress) });
  }

  resumeInterrupted(): void {
    const run = this.interrupted;
    if (!run) return;
    this.interrupted = undefined;
    this.enqueue({ key: run.sourceId, sourceId: run.sourceId, name: run.name, start: (onProgress) => this.api.resumeInterrupted(onProgress) });
  }

  /** Takes a waiting run out of the queue. */
  dequeue(key: string): void {
    this.queue = this.queue.filter((job) => job.key !== key);
  }

  pause(): void {
    if (!this.running || this.paused) return;
    this.api.pauseBackup();
    this.paused = true;
    this.announce('home.live.paused', { name: this.running.name });
  }

  resume(): void {
    if (!this.running || !this.paused) return;
    this.api.resumeBackup();
    this.paused = false;
    this.announce('home.live.resumed', { name: this.running.name });
  }

  /** The run then rejects with 'cancelled'; the outcome says so calmly. */
  cancel(): void {
    if (!this.running || this.cancelling) return;
    this.cancelling = true;
    this.api.cancelBackup();
    // A paused run has to move to notice it is cancelled.
    if (this.paused) this.api.resumeBackup();
  }

  // The pickers must open inside the click: they are called before anything is awaited.
  addFolder(): Promise<void> {
    return this.add(this.api.addFolder());
  }

  addFiles(): Promise<void> {
    return this.add(this.api.addFiles());
  }

  private async add(picked: Promise<SourceSummary | undefined>): Promise<void> {
    this.addError = undefined;
    try {
      const source = await picked;
      if (!source) return; // the picker was closed
      this.sources = [...(this.sources ?? []).filter((s) => s.id !== source.id), source];
      this.backUp(source);
    } catch (e) {
      this.addError = errorKey(e);
    }
  }

  /** Asks the browser again for a kept folder (inside the click). */
  async reconnect(source: SourceSummary): Promise<void> {
    const asked = this.api.reconnect(source.id);
    this.setNotice(source.id, undefined);
    try {
      if (await asked) {
        this.sources = (this.sources ?? []).map((s) => (s.id === source.id ? { ...s, permission: 'granted' } : s));
        void this.loadSources();
      } else this.setNotice(source.id, 'home.source.reconnectRefused');
    } catch (e) {
      this.setNotice(source.id, errorKey(e));
    }
  }

  /** Stops backing the source up; its backups stay on the server. Rejects when it cannot. */
  async remove(sourceId: string): Promise<void> {
    await this.api.removeSource(sourceId);
    this.dequeue(sourceId);
    this.sources = (this.sources ?? []).filter((s) => s.id !== sourceId);
    this.outcomes = this.outcomes.filter((o) => o.sourceId !== sourceId);
    this.setNotice(sourceId, undefined);
  }

  private setNotice(id: string, key: string | undefined): void {
    const { [id]: _old, ...rest } = this.sourceNotices;
    this.sourceNotices = key ? { ...rest, [id]: key } : rest;
  }

  private enqueue(job: QueuedJob): void {
    if (this.isBusy(job.key)) return;
    this.queue = [...this.queue, job];
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let job = this.queue[0]; job; job = this.queue[0]) {
        this.queue = this.queue.slice(1);
        await this.execute(job);
      }
    } finally {
      this.draining = false;
    }
  }

  private async execute(job: QueuedJob): Promise<void> {
    const { key, sourceId, name } = job;
    this.running = { key, sourceId, name };
    this.progress = undefined;
    this.paused = false;
    this.cancelling = false;
    this.announce('home.live.started', { name });
    let outcome: Outcome | undefined;
    try {
      const result = await job.start((progress) => {
        if (this.running?.key === key) this.progress = progress;
      });
      if (result) outcome = { key, sourceId, name, kind: 'done', result };
    } catch (error) {
      outcome = isKuraError(error, 'cancelled') ? { key, sourceId, name, kind: 'cancelled' } : { key, sourceId, name, kind: 'failed', error };
    } finally {
      this.running = undefined;
      this.progress = undefined;
      this.paused = false;
      this.cancelling = false;
    }
    if (outcome) this.finish(outcome);
    await Promise.all([this.loadSources(), this.loadInterrupted(), this.sync.refreshPending(), this.afterRun?.()]);
    this.sync.syncNow();
  }

  private finish(outcome: Outcome): void {
    this.outcomes = [outcome, ...this.outcomes.filter((o) => o.key !== outcome.key)];
    const name = outcome.name;
    if (outcome.kind === 'cancelled') {
      this.announce('home.live.cancelled', { name });
      return;
    }
    if (outcome.kind === 'failed') {
      const reason = this.reason(outcome.error);
      this.announce('home.live.failed', { name, reason });
      this.notify('home.notify.failedTitle', 'home.notify.failedBody', { name, reason });
      return;
    }
    const { result } = outcome;
    const values = { name, n: result.files, count: formatNumber(result.files, this.prefs.language), failed: result.failures.length };
    this.announce('home.live.finished', { name });
    this.notify('home.notify.doneTitle', result.snapshotId === undefined ? 'home.notify.unchangedBody' : 'home.notify.doneBody', values);
  }

  /** The translated reason a run stopped ('quota-exceeded' says the device is full). */
  private reason(error: unknown): string {
    return isKuraError(error, 'quota-exceeded') ? this.translate('home.result.quota') : this.translate(errorKey(error));
  }

  private notify(titleKey: string, bodyKey: string, values: Record<string, string | number>): void {
    if (!this.prefs.value.notifications) return;
    this.api.notify(this.translate(titleKey, values), this.translate(bodyKey, values));
  }

  private announce(key: string, values: Record<string, string | number>): void {
    this.announcement = this.translate(key, values);
  }
}
