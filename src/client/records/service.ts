/**
 * Records in the engine worker (issue 6): listing the account's records of a kind, their history,
 * importing an export file (preview, then commit), deleting, restoring an earlier state and
 * exporting. The page reaches it through EngineService.recordsService() (a Comlink proxy).
 *
 * Changes are taken one at a time (each builds on the state the previous one left), and every
 * change is a new `records` snapshot in the outbox, synced like a file backup.
 */
import { KuraError } from '../../core/errors.ts';
import type { RecordEntry } from '../../core/manifest/record-set.ts';
import { parseCalendar, parseCallLog, parseContacts, type ParseResult, type RecordError } from '../../core/records/index.ts';
import { detectRecordKind, type AnyRecord, type RecordKind, type RecordOfKind } from '../../core/records/kinds.ts';
import { canonicalJson, currentVersion, deletions, keysToRead, planImport, restoration, type ImportPlan } from '../../core/records/set.ts';
import type { DeletedRecord, ExportFormat, ImportPreview, ImportResult, RecordList, RecordVersion } from '../records-api.ts';
import { exportedFile, type ExportedFile } from './export.ts';
import { commitRecords, MAX_BODY_BYTES, type RecordWrite } from './commit.ts';
import { BatchReader, loadEntries, type RecordsContext } from './state.ts';

interface PendingImport {
  readonly kind: RecordKind;
  readonly plan: ImportPlan<RecordKind>;
}

export class RecordsService {
  private readonly previews = new Map<string, PendingImport>();
  private changes: Promise<unknown> = Promise.resolve();
  private reader: { readonly ctx: RecordsContext; readonly reader: BatchReader } | undefined;

  constructor(
    private readonly context: () => RecordsContext,
    private readonly now: () => number = Date.now,
  ) {}

  async list<K extends RecordKind>(kind: K): Promise<RecordList<K>> {
    const { entries, offline } = await loadEntries(this.context(), kind);
    return { records: await this.live(kind, entries), offline };
  }

  async deleted<K extends RecordKind>(kind: K): Promise<DeletedRecord<K>[]> {
    const { entries } = await loadEntries(this.context(), kind);
    const reader = this.batches();
    const deleted = [...entries.values()].flatMap((entry) => {
      const last = currentVersion(entry);
      const before = entry.versions.findLast((v) => v.body);
      return !last.body && before?.body ? [{ key: entry.key, deletedAt: last.at, restoreAt: before.at, body: before.body }] : [];
    });
    deleted.sort((a, b) => b.deletedAt - a.deletedAt);
    return Promise.all(deleted.map(async ({ body, ...d }) => ({ ...d, record: await reader.body<K>(body) })));
  }

  async history<K extends RecordKind>(kind: K, key: string): Promise<RecordVersion<K>[]> {
    const { entries } = await loadEntries(this.context(), kind);
    const entry = entries.get(key);
    if (!entry) throw new KuraError('not-found', { key });
    const reader = this.batches();
    return Promise.all(
      entry.versions.map(async (v, i) => ({
        at: v.at,
        deviceId: v.device,
        deleted: !v.body,
        current: i === entry.versions.length - 1,
        ...(v.body ? { record: await reader.body<K>(v.body) } : {}),
      })),
    );
  }

  /** Reads the file and compares it with the account's records; nothing is written. */
  async preview(bytes: Uint8Array, fileName: string, options: { kind?: RecordKind; timeZone?: string } = {}): Promise<ImportPreview> {
    const kind = options.kind ?? detectRecordKind(new TextDecoder().decode(bytes.subarray(0, 4096)), fileName);
    if (!kind) throw new KuraError('records-unknown-format', { fileName });
    const parsed = parse(kind, bytes, options.timeZone);
    if (parsed.records.length === 0 && parsed.errors.some((e) => e.code === 'unknown-format')) throw new KuraError('records-unknown-format', { fileName });
    if (parsed.records.length === 0 && parsed.errors.length === 0) throw new KuraError('records-empty', { fileName });
    const errors: RecordError[] = [...parsed.errors];
    const records = parsed.records.filter((record, item) => {
      if (canonicalJson(record).length * 3 <= MAX_BODY_BYTES) return true;
      errors.push({ code: 'unsupported', item, message: 'the record is larger than Kura keeps in one piece' });
      return false;
    });
    const { entries } = await loadEntries(this.context(), kind);
    // Only the records the file could change (or match by identity) are read; the rest compare by hash.
    const reader = this.batches();
    const read = keysToRead(kind, entries, records);
    const live = new Map(await Promise.all(read.map(async (key) => [key, await reader.body<typeof kind>(currentVersion(entries.get(key)!).body!)] as const)));
    const plan = planImport(kind, entries, live, records);
    const id = crypto.randomUUID();
    this.previews.set(id, { kind, plan });
    return {
      id,
      kind,
      fileName,
      added: plan.added.map((a) => a.record),
      changed: plan.changed.map(({ before, after }) => ({ before, after })),
      unchanged: plan.unchanged,
      errors,
    };
  }

  /** Applies a preview: the added and changed records become new versions, in one records snapshot. */
  commit(previewId: string): Promise<ImportResult> {
    const pending = this.previews.get(previewId);
    if (!pending) return Promise.reject(new KuraError('records-import-expired'));
    this.previews.delete(previewId);
    return this.change(async (ctx) => {
      const { plan, kind } = pending;
      const writes: RecordWrite[] = [...plan.added, ...plan.changed.map((c) => ({ key: c.key, record: c.after }))];
      const { entries } = await loadEntries(ctx, kind);
      await commitRecords(ctx, kind, [...entries.values()], writes, [], this.now());
      return { added: plan.added.length, changed: plan.changed.length };
    });
  }

  discard(previewId: string): void {
    this.previews.delete(previewId);
  }

  delete(kind: RecordKind, keys: readonly string[]): Promise<void> {
    return this.change(async (ctx) => {
      const { entries } = await loadEntries(ctx, kind);
      await commitRecords(ctx, kind, [...entries.values()], [], deletions(entries, keys), this.now());
    });
  }

  restore(kind: RecordKind, key: string, at: number): Promise<void> {
    return this.change(async (ctx) => {
      const { entries } = await loadEntries(ctx, kind);
      const change = restoration(entries, key, at);
      if (!change) throw new KuraError('not-found', { key, at });
      await commitRecords(ctx, kind, [...entries.values()], [], [change], this.now());
    });
  }

  /** The current records of `keys` (or all) as one export file. */
  async exportFile(kind: RecordKind, keys: readonly string[] | 'all', format: ExportFormat): Promise<ExportedFile> {
    const records = await this.current(kind, keys);
    return exportedFile(kind, records, format, this.now());
  }

  /** The current records of `keys` (or all), for export. */
  async current<K extends RecordKind>(kind: K, keys: readonly string[] | 'all'): Promise<RecordOfKind[K][]> {
    const { entries } = await loadEntries(this.context(), kind);
    const live = await this.liveWithKeys(kind, entries);
    if (keys === 'all') return live.map((l) => l.record);
    const wanted = new Set(keys);
    // An event's overridden instances go with their series: they share its UID.
    const series = kind === 'calendar' ? new Set(keys.filter((k) => !k.includes('#'))) : new Set<string>();
    return live.filter(({ key }) => wanted.has(key) || series.has(key.split('#')[0]!)).map((l) => l.record);
  }

  private async live<K extends RecordKind>(kind: K, entries: Map<string, RecordEntry>): Promise<RecordOfKind[K][]> {
    return (await this.liveWithKeys(kind, entries)).map((l) => l.record);
  }

  private async liveWithKeys<K extends RecordKind>(_kind: K, entries: Map<string, RecordEntry>): Promise<{ key: string; record: RecordOfKind[K] }[]> {
    const reader = this.batches();
    const live = [...entries.values()].filter((e) => currentVersion(e).body);
    return Promise.all(live.map(async (e) => ({ key: e.key, record: await reader.body<K>(currentVersion(e).body!) })));
  }

  private batches(): BatchReader {
    const ctx = this.context();
    if (this.reader?.ctx !== ctx) this.reader = { ctx, reader: new BatchReader(ctx) };
    return this.reader.reader;
  }

  private change<T>(run: (ctx: RecordsContext) => Promise<T>): Promise<T> {
    const next = this.changes.catch(() => undefined).then(() => run(this.context()));
    this.changes = next;
    return next;
  }
}

function parse(kind: RecordKind, bytes: Uint8Array, timeZone: string | undefined): ParseResult<AnyRecord> {
  if (kind === 'contacts') return parseContacts(bytes);
  if (kind === 'calendar') return parseCalendar(bytes);
  return parseCallLog(bytes, timeZone ? { timeZone } : {});
}
