/**
 * The records half of FakeApi: an in-memory record store per kind with history, previews built
 * with the real parsers (so a test can drop a fixture file on a screen), and every call recorded.
 */
import { vi, type Mock } from 'vitest';
import { KuraError } from '../../src/core/errors.ts';
import type { DeviceId } from '../../src/core/ids.ts';
import { parseCalendar, parseCallLog, parseContacts } from '../../src/core/records/index.ts';
import { detectRecordKind, recordKey, type AnyRecord, type RecordKind, type RecordOfKind } from '../../src/core/records/kinds.ts';
import type { ExportFormat, ImportPreview, RecordsApi, RecordVersion } from '../../src/client/records-api.ts';

interface StoredVersion {
  readonly at: number;
  readonly deviceId: DeviceId;
  readonly record?: AnyRecord;
}

/** vi.fn keeps a generic method's calls but not its type parameters; give them back. */
function generic<F extends (...args: never[]) => unknown>(implementation: F): Mock<F> & F {
  return vi.fn(implementation) as unknown as Mock<F> & F;
}

export class FakeRecords implements RecordsApi {
  /** kind → key → versions, oldest first. */
  readonly store: { [K in RecordKind]: Map<string, StoredVersion[]> } = { contacts: new Map(), calendar: new Map(), calls: new Map() };
  offline = false;
  clock = Date.UTC(2026, 10, 25, 12, 0);
  readonly deviceId = 'dev_this' as DeviceId;
  readonly previews = new Map<string, ImportPreview>();
  /** Set by the test to make a call fail once, or wait (see FakeApi.call). */
  constructor(private readonly call: <T>(method: keyof RecordsApi, value: () => T | Promise<T>) => Promise<T>) {}

  /** Puts records in the store as if an earlier import had committed them. */
  seed<K extends RecordKind>(kind: K, records: readonly RecordOfKind[K][], at = this.clock - 86_400_000): void {
    for (const record of records) this.push(kind, recordKey(kind, record), { at, deviceId: this.deviceId, record });
  }

  current<K extends RecordKind>(kind: K): RecordOfKind[K][] {
    return [...this.store[kind].values()].flatMap((versions) => {
      const last = versions.at(-1);
      return last?.record ? [last.record as RecordOfKind[K]] : [];
    });
  }

  private push(kind: RecordKind, key: string, version: StoredVersion): void {
    this.store[kind].set(key, [...(this.store[kind].get(key) ?? []), version]);
  }

  records = generic<RecordsApi['records']>((kind) => this.call('records', () => ({ records: this.current(kind), offline: this.offline })));

  deletedRecords = generic<RecordsApi['deletedRecords']>(<K extends RecordKind>(kind: K) =>
    this.call('deletedRecords', () =>
      [...this.store[kind]]
        .flatMap(([key, versions]) => {
          const last = versions.at(-1);
          const before = versions.findLast((v) => v.record);
          return last && !last.record && before?.record ? [{ key, record: before.record as RecordOfKind[K], deletedAt: last.at, restoreAt: before.at }] : [];
        })
        .sort((a, b) => b.deletedAt - a.deletedAt),
    ),
  );

  recordHistory = generic<RecordsApi['recordHistory']>(<K extends RecordKind>(kind: K, key: string) =>
    this.call('recordHistory', () => {
      const versions = this.store[kind].get(key);
      if (!versions) throw new KuraError('not-found');
      return versions.map(
        (v, i): RecordVersion<K> => ({ at: v.at, deviceId: v.deviceId, deleted: !v.record, current: i === versions.length - 1, ...(v.record ? { record: v.record as RecordOfKind[K] } : {}) }),
      );
    }),
  );

  restoreRecordVersion = vi.fn((kind: RecordKind, key: string, at: number) =>
    this.call('restoreRecordVersion', () => {
      const version = this.store[kind].get(key)?.find((v) => v.at === at);
      if (!version?.record) throw new KuraError('not-found');
      this.push(kind, key, { at: (this.clock += 1000), deviceId: this.deviceId, record: version.record });
    }),
  );

  deleteRecords = vi.fn((kind: RecordKind, keys: readonly string[]) =>
    this.call('deleteRecords', () => {
      for (const key of keys) this.push(kind, key, { at: (this.clock += 1000), deviceId: this.deviceId });
    }),
  );

  previewImport = vi.fn((file: File, chosen?: RecordKind) =>
    this.call('previewImport', async () => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const kind = chosen ?? detectRecordKind(new TextDecoder().decode(bytes.subarray(0, 4096)), file.name);
      if (!kind) throw new KuraError('records-unknown-format', { name: file.name });
      const parsed = kind === 'contacts' ? parseContacts(bytes) : kind === 'calendar' ? parseCalendar(bytes) : parseCallLog(bytes);
      const preview: ImportPreview = { id: `preview_${this.previews.size + 1}`, kind, fileName: file.name, added: [], changed: [], unchanged: 0, errors: parsed.errors };
      const mutable = preview as { added: AnyRecord[]; changed: { before: AnyRecord; after: AnyRecord }[]; unchanged: number };
      for (const record of parsed.records as AnyRecord[]) {
        const before = this.store[kind].get(recordKey(kind, record as never))?.at(-1)?.record;
        if (!before) mutable.added.push(record);
        else if (JSON.stringify(before) === JSON.stringify(record)) mutable.unchanged += 1;
        else mutable.changed.push({ before, after: record });
      }
      this.previews.set(preview.id, preview);
      return preview;
    }),
  );

  commitImport = vi.fn((id: string) =>
    this.call('commitImport', () => {
      const preview = this.previews.get(id);
      if (!preview) throw new KuraError('records-import-expired');
      this.previews.delete(id);
      const at = (this.clock += 1000);
      for (const record of [...preview.added, ...preview.changed.map((c) => c.after)]) {
        this.push(preview.kind, recordKey(preview.kind, record as never), { at, deviceId: this.deviceId, record });
      }
      return { added: preview.added.length, changed: preview.changed.length };
    }),
  );

  discardImport = vi.fn((id: string) => void this.previews.delete(id));

  exportRecords = vi.fn((kind: RecordKind, keys: readonly string[] | 'all', format: ExportFormat, _to: 'download' | 'folder') =>
    this.call('exportRecords', () => {
      const count = keys === 'all' ? this.current(kind).length : keys.length;
      const extension = format === 'csv' ? 'csv' : format === 'icalendar' ? 'ics' : 'vcf';
      return { count, fileName: `kura-${kind}.${extension}` } as { count: number; fileName: string } | undefined;
    }),
  );
}
