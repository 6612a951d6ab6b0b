/**
 * RecordsApi in the page: the engine worker's records service for everything that reads or
 * changes records, and the page for what must run here (the folder picker inside the user's
 * click, the browser's downloads). A change wakes the sync loop so it is sent at once.
 */
import type { Remote } from 'comlink';
import type { Engine } from './engine/connect.ts';
import { download, picked, writeIntoFolder } from './page-files.ts';
import type { DeletedRecord, RecordKind, RecordList, RecordsApi, RecordVersion } from './records-api.ts';
import type { RecordsService } from './records/service.ts';

interface FolderPicker {
  showDirectoryPicker?(options?: { id?: string; mode?: 'read' | 'readwrite' }): Promise<FileSystemDirectoryHandle>;
}

export function recordsClient(engine: Engine, page: { readonly kick: () => void; readonly pickers: FolderPicker }): RecordsApi {
  let service: Promise<Remote<RecordsService>> | undefined;
  const records = () => (service ??= engine.recordsService() as unknown as Promise<Remote<RecordsService>>);
  const timeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

  return {
    // Comlink's Remote drops the type parameter of generic methods; the worker keeps the kind.
    records: async <K extends RecordKind>(kind: K) => (await records()).list(kind) as Promise<RecordList<K>>,
    deletedRecords: async <K extends RecordKind>(kind: K) => (await records()).deleted(kind) as Promise<DeletedRecord<K>[]>,
    recordHistory: async <K extends RecordKind>(kind: K, key: string) => (await records()).history(kind, key) as Promise<RecordVersion<K>[]>,
    async restoreRecordVersion(kind, key, at) {
      await (await records()).restore(kind, key, at);
      page.kick();
    },
    async deleteRecords(kind, keys) {
      await (await records()).delete(kind, [...keys]);
      page.kick();
    },
    async previewImport(file, kind) {
      const bytes = new Uint8Array(await file.arrayBuffer());
      return (await records()).preview(bytes, file.name, { timeZone: timeZone(), ...(kind ? { kind } : {}) });
    },
    async commitImport(previewId) {
      const result = await (await records()).commit(previewId);
      page.kick();
      return result;
    },
    discardImport(previewId) {
      void records().then((r) => r.discard(previewId));
    },
    async exportRecords(kind, keys, format, to) {
      // The picker first, while the click still counts as the user's gesture.
      const folder = to === 'folder' ? await picked(() => page.pickers.showDirectoryPicker!({ id: 'kura-export', mode: 'readwrite' })) : undefined;
      if (to === 'folder' && !folder) return undefined;
      const file = await (await records()).exportFile(kind, keys === 'all' ? 'all' : [...keys], format);
      const blob = new Blob([file.text], { type: file.type });
      if (folder) return { count: file.count, fileName: await writeIntoFolder(folder, file.fileName, blob) };
      download(blob, file.fileName);
      return { count: file.count, fileName: file.fileName };
    },
  };
}
