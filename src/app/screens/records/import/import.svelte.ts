/**
 * Importing export files into the account, one file at a time and never blind: each file is read
 * into a preview (what would be added, changed, skipped), and only the user's "Import" writes it;
 * "Skip" discards the preview. Files picked, dropped or launched together wait in a queue.
 */
import type { ImportPreview, ImportResult, RecordKind, RecordsApi } from '../../../../client/records-api.ts';
import { isKuraError } from '../../../../core/errors.ts';
import { errorKey } from '../../../state/errors.ts';

export type ImportStep =
  | { readonly kind: 'idle' }
  | { readonly kind: 'reading'; readonly file: File }
  /** Kura could not tell what the file holds: the user names the kind, or skips. */
  | { readonly kind: 'choose-kind'; readonly file: File }
  | { readonly kind: 'preview'; readonly file: File; readonly preview: ImportPreview; readonly committing: boolean; readonly error?: string }
  /** Reading failed (not for an unknown format): the error's catalogue key; retry or skip. */
  | { readonly kind: 'failed'; readonly file: File; readonly error: string; readonly as?: RecordKind };

export interface ImportDone extends ImportResult {
  readonly kind: RecordKind;
  readonly fileName: string;
}

type Api = Pick<RecordsApi, 'previewImport' | 'commitImport' | 'discardImport'>;

export class ImportQueue {
  step = $state.raw<ImportStep>({ kind: 'idle' });
  /** Files waiting behind the one on screen. */
  waiting = $state.raw<File[]>([]);
  /** What the imports since the dialog last opened wrote, for the summary. */
  done = $state.raw<ImportDone[]>([]);
  /** Bumped on each new step, so an answer for a file the user already left is dropped. */
  private turn = 0;

  constructor(
    private readonly api: Api,
    /** A file was imported: the hub shows its kind and loads it again. */
    private readonly oncommitted: (done: ImportDone) => void = () => {},
  ) {}

  get open(): boolean {
    return this.step.kind !== 'idle';
  }

  add(files: readonly File[]): void {
    if (files.length === 0) return;
    if (!this.open) this.done = [];
    this.waiting = [...this.waiting, ...files];
    if (!this.open) this.next();
  }

  /** Reads the file again as the given kind (after an unknown format, or a failure). */
  retry(as?: RecordKind): void {
    const step = this.step;
    if (step.kind === 'choose-kind' || step.kind === 'failed') void this.read(step.file, as ?? (step.kind === 'failed' ? step.as : undefined));
  }

  async commit(): Promise<void> {
    const step = this.step;
    if (step.kind !== 'preview' || step.committing) return;
    const turn = ++this.turn;
    this.step = { kind: 'preview', file: step.file, preview: step.preview, committing: true };
    try {
      const result = await this.api.commitImport(step.preview.id);
      if (turn !== this.turn) return;
      const done = { kind: step.preview.kind, fileName: step.preview.fileName, added: result.added, changed: result.changed };
      this.done = [...this.done, done];
      this.oncommitted(done);
      this.next();
    } catch (e) {
      if (turn === this.turn) this.step = { ...step, committing: false, error: errorKey(e) };
    }
  }

  /** Leaves this file unimported (its preview discarded) and goes on to the next. */
  skip(): void {
    this.discard();
    this.next();
  }

  /** Leaves this file and every waiting one. */
  cancel(): void {
    this.discard();
    this.waiting = [];
    this.turn++;
    this.step = { kind: 'idle' };
  }

  private discard(): void {
    const step = this.step;
    if (step.kind === 'preview' && !step.committing) this.api.discardImport(step.preview.id);
  }

  private next(): void {
    const [file, ...rest] = this.waiting;
    this.waiting = rest;
    if (file) void this.read(file);
    else {
      this.turn++;
      this.step = { kind: 'idle' };
    }
  }

  private async read(file: File, as?: RecordKind): Promise<void> {
    const turn = ++this.turn;
    this.step = { kind: 'reading', file };
    try {
      const preview = await (as ? this.api.previewImport(file, as) : this.api.previewImport(file));
      if (turn !== this.turn) return this.api.discardImport(preview.id);
      this.step = { kind: 'preview', file, preview, committing: false };
    } catch (e) {
      if (turn !== this.turn) return;
      const unknown = isKuraError(e) && e.code === 'records-unknown-format';
      this.step = unknown ? { kind: 'choose-kind', file } : { kind: 'failed', file, error: errorKey(e), ...(as ? { as } : {}) };
    }
  }
}
