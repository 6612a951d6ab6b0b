/**
 * The engine as a service: what the backup worker exposes to the page (workers/engine.worker.ts
 * only hands this to Comlink). It holds the open database, the OPFS staging and the unlocked keys
 * inside the worker; the page passes folder handles or picked files and receives progress through
 * callbacks. Chunking, sealing, staging, uploading and decrypting never touch the UI thread.
 *
 * Backup runs are taken one at a time, in the order asked. A run that a crash or reload cut short
 * is remembered (which source, under what name) and `resumeInterrupted` takes it up again from its
 * checkpoint: a kept folder or file set is reopened here, in the worker, without the page.
 */
import { transfer } from 'comlink';
import { deriveAccountKeys, type AccountKeys } from '../../core/crypto/subkeys.ts';
import { isKuraError, KuraError } from '../../core/errors.ts';
import type { ChunkId, DeviceId, SnapshotId } from '../../core/ids.ts';
import type { FileEntry, Snapshot } from '../../core/manifest/snapshot.ts';
import type { SnapshotSummary } from '../../core/protocol.ts';
import { openThumb } from '../../core/crypto/chunk.ts';
import { ApiClient } from '../api/client.ts';
import { signOut, unsentBackups, type SignOutResult } from '../account/sign-out.ts';
import { sourceFromDirectory, sourceFromFileHandles } from '../backup/folder.ts';
import { forgetSource, keptSource, keptSources, permissionOf } from '../backup/handles.ts';
import { PauseGate, runBackup, type BackupProgress, type BackupResult } from '../backup/run.ts';
import { sourceFromFiles, type FileSource } from '../backup/source.ts';
import { makeThumbnail } from '../backup/thumbnail.ts';
import { allSnapshots, cachedSnapshots, fileStream, manifestOf } from '../browse.ts';
import { KuraDb, type SourceRow } from '../db/database.ts';
import { restoreToFolder, type Collision, type RestoredFile } from '../restore/to-folder.ts';
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

/** A run cut short, as remembered for `resumeInterrupted`. */
export interface InterruptedRun {
  readonly sourceId: string;
  readonly name: string;
  /** 'input' files (the fallback picker) cannot be reopened: the user must pick them again. */
  readonly kind: SourceRow['kind'] | 'input';
}

export interface SnapshotList {
  readonly snapshots: SnapshotSummary[];
  /** True when the server could not be reached and the list is the one kept on this device. */
  readonly offline: boolean;
}

interface Context {
  readonly db: KuraDb;
  readonly staging: ChunkStaging;
  readonly api: ApiClient;
  readonly keys: AccountKeys;
  readonly deviceId: DeviceId;
}

const RUN_IN_PROGRESS = 'run-in-progress';

export class EngineService {
  private context: Context | undefined;
  private gate = new PauseGate();
  private controller: AbortController | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private engine: SyncEngine | undefined;
  private syncListeners = new Set<(s: SyncState) => void>();

  async open(args: OpenArgs): Promise<void> {
    const keys = await deriveAccountKeys(new Uint8Array(args.masterKey));
    const db = new KuraDb(args.dbName ?? 'kura');
    await db.open();
    const api = new ApiClient({ origin: args.origin, token: args.token });
    const staging = await OpfsStaging.open();
    this.context = { db, staging, api, keys, deviceId: args.deviceId };
    // One engine for every caller: concurrent sync() calls share a single run.
    this.engine = new SyncEngine({ db, staging, api, onState: (s) => this.syncListeners.forEach((l) => l(s)) });
  }

  /** Forgets the keys and closes the database (lock). Staged data stays. */
  close(): void {
    this.cancel();
    this.context?.db.close();
    this.context = undefined;
    this.engine = undefined;
  }

  // --- Backing up -------------------------------------------------------------------------------

  async backupFolder(sourceId: string, name: string, folder: FileSystemDirectoryHandle, onProgress?: (p: BackupProgress) => void): Promise<BackupResult> {
    return this.backup(sourceFromDirectory(sourceId, folder), { sourceId, name, kind: 'folder' }, onProgress);
  }

  /** Single files picked with showOpenFilePicker. */
  async backupFileHandles(sourceId: string, name: string, handles: FileSystemFileHandle[], onProgress?: (p: BackupProgress) => void): Promise<BackupResult> {
    return this.backup(sourceFromFileHandles(sourceId, handles), { sourceId, name, kind: 'files' }, onProgress);
  }

  /** The fallback for browsers without showDirectoryPicker: files from `<input webkitdirectory>`. */
  async backupFiles(sourceId: string, name: string, files: File[], onProgress?: (p: BackupProgress) => void): Promise<BackupResult> {
    return this.backup(sourceFromFiles(sourceId, files), { sourceId, name, kind: 'input' }, onProgress);
  }

  /** A folder or file set kept with handles.ts, reopened here in the worker. */
  async backupKept(sourceId: string, name: string, onProgress?: (p: BackupProgress) => void): Promise<BackupResult> {
    const picked = await keptSource(sourceId);
    if (!picked) throw new KuraError('source-unreadable', { sourceId, reason: 'not kept on this device' });
    if ((await permissionOf(picked)) !== 'granted') throw new KuraError('source-unreadable', { sourceId, reason: 'permission', reconnect: true });
    return picked.kind === 'folder'
      ? this.backupFolder(sourceId, name, picked.handle, onProgress)
      : this.backupFileHandles(sourceId, name, [...picked.handles], onProgress);
  }

  /** The run a crash or reload cut short, if any. */
  async interruptedRun(): Promise<InterruptedRun | undefined> {
    return (await this.ready().db.settings.get(RUN_IN_PROGRESS))?.value as InterruptedRun | undefined;
  }

  /**
   * Takes up the run a crash cut short, from its checkpoint. Undefined when there is none; a
   * source-unreadable error when the user must reconnect the folder or pick the files again.
   */
  async resumeInterrupted(onProgress?: (p: BackupProgress) => void): Promise<BackupResult | undefined> {
    const run = await this.interruptedRun();
    if (!run) return undefined;
    if (run.kind === 'input') throw new KuraError('source-unreadable', { sourceId: run.sourceId, reason: 'pick the files again' });
    return this.backupKept(run.sourceId, run.name, onProgress);
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

  // --- Syncing ----------------------------------------------------------------------------------

  async sync(onState?: (s: SyncState) => void): Promise<SyncState> {
    this.ready();
    if (onState) this.syncListeners.add(onState);
    try {
      return await this.engine!.run();
    } finally {
      if (onState) this.syncListeners.delete(onState);
    }
  }

  /** Commits waiting for the server, and the bytes staged for them. */
  async pending(): Promise<{ commits: number; stagedBytes: number }> {
    const { commits, bytes } = await unsentBackups(this.ready().db);
    return { commits, stagedBytes: bytes };
  }

  // --- Browsing and restoring -------------------------------------------------------------------

  /** Every device's snapshots, newest first; offline, the list last seen on this device. */
  async snapshots(): Promise<SnapshotList> {
    const { api, db, keys } = this.ready();
    try {
      return { snapshots: await allSnapshots(api, db, keys), offline: false };
    } catch (e) {
      if (!isKuraError(e, 'network-unavailable')) throw e;
      return { snapshots: await cachedSnapshots(db), offline: true };
    }
  }

  /** A snapshot's manifest, opened and checked here (from the device's cache when offline). */
  async manifest(id: SnapshotId): Promise<Snapshot> {
    const { api, db, keys } = this.ready();
    return manifestOf(api, keys, id, undefined, db);
  }

  /** A thumbnail's image bytes (WebP or JPEG), decrypted and checked against its id. */
  async thumbnail(id: ChunkId): Promise<Uint8Array> {
    const { api, keys } = this.ready();
    return openThumb(keys, id, await api.getChunk(id));
  }

  /** A file's verified plaintext as a stream, for a viewer (transfer it to the page). */
  async readFile(entry: FileEntry): Promise<ReadableStream<Uint8Array>> {
    const { api, keys } = this.ready();
    const stream = fileStream(api, keys, entry);
    return transfer(stream, [stream as unknown as Transferable]); // streams cannot be cloned
  }

  /** Restores entries into a folder the user picked, verified file by file. */
  async restoreToFolder(
    entries: FileEntry[],
    target: FileSystemDirectoryHandle,
    collision: Collision,
    onFile?: (result: RestoredFile, index: number, total: number) => void,
  ): Promise<RestoredFile[]> {
    const { api, keys } = this.ready();
    this.controller = new AbortController();
    return restoreToFolder(target, entries, {
      keys,
      collision,
      fetchEnvelope: (id) => api.getChunk(id),
      signal: this.controller.signal,
      ...(onFile ? { onFile } : {}),
    });
  }

  // --- Signing out ------------------------------------------------------------------------------

  /** Signs out on this device, keeping unsent backups for this account or erasing everything. */
  async signOut(erase: boolean): Promise<SignOutResult> {
    const { db, staging, api } = this.ready();
    this.cancel();
    await this.queue.catch(() => undefined); // let a cancelled run end before anything is erased
    const forgetPicks = async () => {
      for (const kept of await keptSources()) await forgetSource(kept.sourceId);
    };
    const result = await signOut(db, staging, { erase, api, forgetPicks });
    this.close();
    return result;
  }

  // ----------------------------------------------------------------------------------------------

  private backup(source: FileSource, run: InterruptedRun, onProgress?: (p: BackupProgress) => void): Promise<BackupResult> {
    const next = this.queue.catch(() => undefined).then(() => this.runOne(source, run, onProgress));
    this.queue = next;
    return next;
  }

  private async runOne(source: FileSource, run: InterruptedRun, onProgress?: (p: BackupProgress) => void): Promise<BackupResult> {
    const { db, staging, keys, deviceId } = this.ready();
    this.controller = new AbortController();
    await db.settings.put({ key: RUN_IN_PROGRESS, value: run });
    try {
      return await runBackup({
        db,
        staging,
        keys,
        deviceId,
        source,
        sourceName: run.name,
        sourceKind: run.kind === 'input' ? 'files' : run.kind,
        gate: this.gate,
        signal: this.controller.signal,
        thumbnailer: makeThumbnail,
        ...(onProgress ? { onProgress } : {}),
      });
    } finally {
      // Ended, by success, cancel or error: nothing to take up after a restart. (A crash skips this.)
      await db.settings.delete(RUN_IN_PROGRESS);
    }
  }

  private ready(): Context {
    if (!this.context) throw new KuraError('unauthenticated', { reason: 'the engine is not open' });
    return this.context;
  }
}
