/**
 * What the app may ask of Kura about records (issue 6): the account's contacts, schedules and call
 * history, merged across its devices; each record's history; importing an export file (a preview
 * first, then a commit); deleting; restoring an earlier state; exporting. Part of AppApi.
 *
 * A record is addressed by its key (`recordKey` in src/core/records/kinds.ts). Versions are
 * ordered by `at` (when the change was made in Kura, ms since the epoch), then device.
 */
import type { DeviceId } from '../core/ids.ts';
import type { RecordError } from '../core/records/result.ts';
import type { RecordKind, RecordOfKind } from '../core/records/kinds.ts';

export type { RecordKind, RecordOfKind, RecordError };

export interface RecordList<K extends RecordKind> {
  /** The current state of every record not deleted, in no particular order. */
  readonly records: RecordOfKind[K][];
  /** True when the server could not be reached and the list is the one kept on this device. */
  readonly offline: boolean;
}

export interface RecordVersion<K extends RecordKind> {
  readonly at: number;
  readonly deviceId: DeviceId;
  /** A deletion (tombstone): no record. */
  readonly deleted: boolean;
  readonly record?: RecordOfKind[K];
  /** The version in force now (the last one). */
  readonly current: boolean;
}

/** A deleted record as it was before its deletion, with what restoring it needs. */
export interface DeletedRecord<K extends RecordKind> {
  readonly key: string;
  readonly record: RecordOfKind[K];
  readonly deletedAt: number;
  /** `at` of the state to restore (pass to restoreRecordVersion). */
  readonly restoreAt: number;
}

export interface ImportChange<K extends RecordKind> {
  readonly before: RecordOfKind[K];
  readonly after: RecordOfKind[K];
}

/** What committing an import would do; nothing is written before `commitImport`. */
export interface ImportPreview<K extends RecordKind = RecordKind> {
  /** Hands the preview to commitImport / discardImport. */
  readonly id: string;
  readonly kind: K;
  readonly fileName: string;
  /** Records the account does not hold (or holds deleted). */
  readonly added: RecordOfKind[K][];
  /** Records the account holds in another state: the import's state would replace it. */
  readonly changed: ImportChange<K>[];
  /** Records the account already holds exactly as imported (skipped). */
  readonly unchanged: number;
  /** Entries the file has but Kura could not read (skipped), each with its line or item. */
  readonly errors: RecordError[];
}

export interface ImportResult {
  readonly added: number;
  readonly changed: number;
}

export type ExportFormat = 'vcard-3.0' | 'vcard-4.0' | 'icalendar' | 'csv';

/** Which formats each kind exports to (the first is the default). */
export const EXPORT_FORMATS: { readonly [K in RecordKind]: readonly ExportFormat[] } = {
  contacts: ['vcard-3.0', 'vcard-4.0'],
  calendar: ['icalendar'],
  calls: ['csv'],
};

export interface ExportResult {
  readonly count: number;
  readonly fileName: string;
}

export interface RecordsApi {
  /** The account's records of one kind, merged across devices (the cached copy when offline). */
  records<K extends RecordKind>(kind: K): Promise<RecordList<K>>;
  /** Records deleted (tombstoned), newest deletion first, each as it was just before. */
  deletedRecords<K extends RecordKind>(kind: K): Promise<DeletedRecord<K>[]>;
  /** Every state a record has had, oldest first. */
  recordHistory<K extends RecordKind>(kind: K, key: string): Promise<RecordVersion<K>[]>;
  /** Makes an earlier state (`at` of a version from recordHistory) the current one again. */
  restoreRecordVersion(kind: RecordKind, key: string, at: number): Promise<void>;
  /** Deletes records (tombstones: their history stays and can be restored). */
  deleteRecords(kind: RecordKind, keys: readonly string[]): Promise<void>;
  /** Reads an export file and compares it with the account's records; `kind` when the user chose it. */
  previewImport(file: File, kind?: RecordKind): Promise<ImportPreview>;
  /** Applies a preview: a new records backup, staged here and synced like files. */
  commitImport(previewId: string): Promise<ImportResult>;
  discardImport(previewId: string): void;
  /**
   * Writes records (the given keys, or all) as one file: `download` hands it to the browser's
   * downloads; `folder` asks for a folder (call inside the click) and writes it there. Undefined
   * when the user closed the folder picker.
   */
  exportRecords(kind: RecordKind, keys: readonly string[] | 'all', format: ExportFormat, to: 'download' | 'folder'): Promise<ExportResult | undefined>;
}
