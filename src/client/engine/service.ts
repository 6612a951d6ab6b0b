/**
 * The engine as a service: what the backup worker exposes to the page (workers/engine.worker.ts
 * only hands this to Comlink). It holds the open database, the OPFS staging and the unlocked keys
 * inside the worker; the page passes folder handles or picked files and receives progress through
 * callbacks. Chunking, sealing and staging never touch the UI thread.
 */
import { deriveAccountKeys, type AccountKeys } from '../../core/crypto/subkeys.ts';
import { KuraError } from '../../core/errors.ts';
import type { DeviceId } from '../../core/ids.ts';
import type { FileEntry } from '../../core/manifest/snapshot.ts';
import { ApiClient } from '../api/client.ts';
import { sourceFromDirectory } from '../backup/folder.ts';
import { PauseGate, runBackup, type BackupProgress, type BackupResult } from '../backup/run.ts';
import { sourceFromFiles, type FileSource } from '../backup/source.ts';
import { makeThumbnail } from '../backup/thumbnail.ts';
import { KuraDb } from '../db/database.ts';
import type { RestoredFile } from '../restore/to-folder.ts';
import { clearDownloads, zipToDownload, type ZipDownload } from '../restore/zip-download.ts';
import { OpfsStaging } from '../staging/opfs.ts';
import type { ChunkStaging } from '../staging/ports.ts';
import { SyncEngine, type SyncState } from '../sync/engine.ts';

export interface OpenArgs {
  readonly origin: string;
  readonly token: string;
  readonly deviceId: DeviceId;
  /** Sent once at unlock; only derived keys are kept. */
  readonly masterKey: Uint8Array;
  readonly dbName?: string;
}

interface Context {
  readonly db: KuraDb;
  readonly staging: ChunkStaging;
  readonly api: ApiClient;
  readonly keys: AccountKeys;
  readonly deviceId: DeviceId;
}

export class EngineService {
  private context: Context | undefined;
  private gate = new PauseGate();
  private controller: AbortController | undefined;

  async open(args: OpenArgs): Promise<void> {
    const keys = await deriveAccountKeys(new Uint8Array(args.masterKey));
    const db = new KuraDb(args.dbName ?? 'kura');
    await db.open();
    this.context = { db, staging: await OpfsStaging.open(), api: new ApiClient({ origin: args.origin, token: args.token }), keys, deviceId: args.deviceId };
  }

  async backupFolder(sourceId: string, name: string, folder: FileSystemDirectoryHandle, onProgress?: (p: BackupProgress) => void): Promise<BackupResult> {
    return this.backup(sourceFromDirectory(sourceId, folder), name, onProgress);
  }

  /** The fallback for browsers without showDirectoryPicker: files from `<input webkitdirectory>`. */
  async backupFiles(sourceId: string, name: string, files: File[], onProgress?: (p: BackupProgress) => void): Promise<BackupResult> {
    return this.backup(sourceFromFiles(sourceId, files), name, onProgress);
  }

  async sync(onState?: (s: SyncState) => void): Promise<SyncState> {
    const { db, staging, api } = this.ready();
    return new SyncEngine({ db, staging, api, ...(onState ? { onState } : {}) }).run();
  }

  pause(): void {
    this.gate.pause();
  }

  resume(): void {
    this.gate.resume();
  }

  cancel(): void {
    this.controller?.abort();
    this.gate.resume(); // a paused run must wake to see the cancel
  }

  /** Commits waiting for the server, and the bytes staged for them. */
  async pending(): Promise<{ commits: number; stagedBytes: number }> {
    const { db } = this.ready();
    let stagedBytes = 0;
    await db.staged.where('uploaded').equals(0).each((s) => void (stagedBytes += s.size));
    return { commits: await db.outbox.count(), stagedBytes };
  }

  // ---- Zip download: restore where showDirectoryPicker is missing (restore/zip-download.ts) ----
  private zipController: AbortController | undefined;

  /**
   * Restores the entries (of one snapshot, as the page selected them) as a zip written to OPFS;
   * the page downloads `file` through `URL.createObjectURL`. Files that fail verification are
   * 'failed' in `results` and left out of the zip (see to-zip.ts).
   */
  async restoreToZip(entries: FileEntry[], onFile?: (result: RestoredFile, index: number, total: number) => void): Promise<ZipDownload> {
    const { api, keys } = this.ready();
    this.zipController = new AbortController();
    return zipToDownload(entries, { keys, fetchEnvelope: (id) => api.getChunk(id), signal: this.zipController.signal, ...(onFile ? { onFile } : {}) });
  }

  /** Stops a running restoreToZip: it rejects with 'cancelled' and its file is removed. */
  cancelZip(): void {
    this.zipController?.abort();
  }

  /** Removes zip downloads written at least `olderThanMs` ago (all by default); returns how many. */
  async clearDownloads(olderThanMs = 0): Promise<number> {
    return clearDownloads(olderThanMs);
  }
  // ---- end of zip download ----

  private async backup(source: FileSource, sourceName: string, onProgress?: (p: BackupProgress) => void): Promise<BackupResult> {
    const { db, staging, keys, deviceId } = this.ready();
    this.controller = new AbortController();
    return runBackup({
      db,
      staging,
      keys,
      deviceId,
      source,
      sourceName,
      gate: this.gate,
      signal: this.controller.signal,
      thumbnailer: makeThumbnail,
      ...(onProgress ? { onProgress } : {}),
    });
  }

  private ready(): Context {
    if (!this.context) throw new KuraError('unauthenticated', { reason: 'the engine is not open' });
    return this.context;
  }
}
