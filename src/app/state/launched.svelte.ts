/**
 * Files handed to Kura from outside: shared to the installed app (share target) or opened with it
 * (file handler). Contacts and calendar exports go to the records import (a preview first);
 * everything else (photos, videos, documents) Home backs up as a set of files.
 */
import type { RecordKind } from '../../core/records/kinds.ts';

const RECORD_TYPES: Readonly<Record<string, RecordKind>> = {
  'text/vcard': 'contacts',
  'text/x-vcard': 'contacts',
  'text/directory': 'contacts',
  'text/calendar': 'calendar',
};
const RECORD_EXTENSIONS: Readonly<Record<string, RecordKind>> = { vcf: 'contacts', vcard: 'contacts', ics: 'calendar', ical: 'calendar' };

/** The kind of record export a launched file is, by its type or extension; undefined for any other file. */
export function launchedRecordKind(file: Pick<File, 'name' | 'type'>): RecordKind | undefined {
  const type = file.type.toLowerCase().split(';')[0]!.trim();
  const extension = file.name.toLowerCase().split('.').pop() ?? '';
  return RECORD_TYPES[type] ?? (file.name.includes('.') ? RECORD_EXTENSIONS[extension] : undefined);
}

export class LaunchedFiles {
  /** For Home's backup. */
  files = $state.raw<File[]>([]);
  /** For the records import. */
  recordFiles = $state.raw<File[]>([]);

  add(files: readonly File[]): void {
    const records = files.filter((f) => launchedRecordKind(f));
    const others = files.filter((f) => !launchedRecordKind(f));
    if (records.length > 0) this.recordFiles = [...this.recordFiles, ...records];
    if (others.length > 0) this.files = [...this.files, ...others];
  }

  /** Hands over the waiting files for backup, once. */
  take(): File[] {
    const taken = this.files;
    this.files = [];
    return taken;
  }

  /** Hands over the waiting record exports, once. */
  takeRecords(): File[] {
    const taken = this.recordFiles;
    this.recordFiles = [];
    return taken;
  }
}
