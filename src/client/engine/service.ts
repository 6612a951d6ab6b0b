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
import { proxy, transfer } from 'comlink';
import { deriveAccountKeys, type AccountKeys } from '../../core/crypto/subkeys.ts';
import { KuraError } from '../../core/errors.ts';
import type { AccountId, ChunkId, DeviceId, SnapshotId } from '../../core/ids.ts';
import type { FileEntry, Snapshot } from '../../core/manifest/snapshot.ts';
import type { AccountResponse, DeviceResponse, SnapshotSummary } from '../../core/protocol.ts';
import { openThumb } from '../../core/crypto/chunk.ts';
import { ApiClient } from '../api/client.ts';
import { deviceIdentity, keepAccount, setRemembered, storedAccount, unlockRemembered, unlockWithPassphrase } from '../account/device.ts';
import { createAccount, offeredExternalServices, pendingDeletion, signInWith, type Credentials, type UnlockedAccount } from '../account/flows.ts';
import { signOut, unsentBackups, type SignOutResult } from '../account/sign-out.ts';
import { sourceFromDirectory, sourceFromFileHandles } from '../backup/folder.ts';
import { forgetSource, keptSource, keptSources, permissionOf } from '../backup/handles.ts';
import { PauseGate, runBackup, type BackupProgress, type BackupResult } from '../backup/run.ts';
import { sealedSourceName } from '../backup/run-state.ts';
import { sourceFromFiles, type FileSource } from '../backup/source.ts';
import { markChecked, removeSource, sourceSummaries, type SourceSummary } from '../backup/sources.ts';
import { makeThumbnail } from '../backup/thumbnail.ts';
import { fileStream, manifestOf, recordSetOf, snapshotList } from '../browse.ts';
import { KuraDb, type SourceRow } from '../db/database.ts';
import { restoreToFolder, type Collision, type RestoredFile } from '../restore/to-folder.ts';
import { clearDownloads, zipToDownload, type ZipDownload } from '../restore/zip-download.ts';
import { OpfsStaging } from '../staging/opfs.ts';
import type { ChunkStaging } from '../staging/ports.ts';
import { SyncEngine, type SyncState } from '../sync/engine.ts';
import { applyRetention } from '../sync/retention.ts';
import type { RetentionRule } from '../../core/retention.ts';
import { RecordsService } from '../records/service.ts';
import { PrivacyService, runCounter } from '../privacy/service.ts';

export interface OpenArgs {
  readonly origin: string;
  readonly token: string;
  readonly deviceId: DeviceId;
  /** Sent once at unlock; only derived keys are kept. */
  readonly masterKey: Uint8Array;
  readonly dbName?: string;
  /** The OPFS folder of staged envelopes (default 'kura-staging'). */
  readonly stagingName?: string;
  /** Send staged chunks while a backup run is still reading (default true; off to time staging alone). */
  readonly uploadAhead?: boolean;
}

/**
 * A run cut short, as remembered for `resumeInterrupted`. Its name is not kept here in the clear:
 * it is read back from the sealed checkpoint or last run (or is the picked folder's own name).
 */
export interface InterruptedRun {
  readonly sourceId: string;
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
const AHEAD_EVERY_BYTES = 8 * 1024 * 1024;

/** What the page may know of the signed-in account: no key ever leaves the worker. */
export interface AccountInfo {
  readonly accountId: AccountId;
  readonly email: string;
  readonly deviceId: DeviceId;
}

export interface AccountArgs {
  readonly origin: string;
  readonly email: string;
  readonly remember: boolean;
  readonly dbName?: string;
}

export class EngineService {
  private context: Context | undefined;
  private gate = new PauseGate();
  private controller: AbortController | undefined;
  private zipController: AbortController | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private engine: SyncEngine | undefined;
  private syncListeners = new Set<(s: SyncState) => void>();
  private uploadAhead = true;
  /** The unlocked account, when it came through createAccount/signIn/unlock (for "remember"). */
  private account: UnlockedAccount | undefined;
  private records = new RecordsService(() => this.ready());
  private privacy = new PrivacyService(() => this.ready());

  /** Contacts, schedules and call history (issue 6), and the privacy center (issue 7): proxies the page calls directly. */
  recordsService = (): RecordsService => proxy(this.records);
  privacyService = (): PrivacyService => proxy(this.privacy);

  async open(args: OpenArgs): Promise<void> {
    this.close();
    const keys = await deriveAccountKeys(new Uint8Array(args.masterKey));
    const db = new KuraDb(args.dbName ?? 'kura');
    await db.open();
    this.uploadAhead = args.uploadAhead ?? true;
    await this.attach(db, new ApiClient({ origin: args.origin, token: args.token }), keys, args.deviceId, args.stagingName);
  }

  // --- The account, with every key derived and kept here in the worker ---------------------------

  /** Creates the account (Argon2id runs here, off the UI thread); the recovery code is shown once. */
  async createAccount(args: AccountArgs & { readonly passphrase: string }): Promise<AccountInfo & { readonly recoveryCode: string }> {
    return this.session(args, async (db, api) => {
      const { account, recoveryCode } = await createAccount(api, { email: args.email, passphrase: args.passphrase, device: await deviceIdentity(db) });
      await this.begin(args, db, api, account);
      return { ...infoOf(account), recoveryCode };
    });
  }

  /** Signs in with the passphrase or the recovery code (with a new passphrase: undoes a pending deletion). */
  async signIn(args: AccountArgs & Credentials): Promise<AccountInfo> {
    return this.session(args, async (db, api) => {
      const device = await deviceIdentity(db);
      const account = await signInWith(api, { ...args, device });
      await this.begin(args, db, api, account);
      return infoOf(account);
    });
  }

  /** With no account open: the pending deletion a refused recovery code could undo; the connections the server offers. */
  pendingDeletion = (args: { origin: string; email: string; recoveryCode: string }) => pendingDeletion(new ApiClient({ origin: args.origin }), args);
  offeredExternalServices = (args: { origin: string }) => offeredExternalServices(new ApiClient({ origin: args.origin }));

  /**
   * Unlocks the account kept on this device, offline too: with the passphrase, or with none when
   * "remember this device" is on. Undefined when there is no account here (or it is not remembered).
   */
  async unlock(args: { readonly origin: string; readonly passphrase?: string; readonly dbName?: string }): Promise<AccountInfo | undefined> {
    return this.session(args, async (db, api) => {
      const account = args.passphrase === undefined ? await unlockRemembered(db) : await unlockWithPassphrase(db, args.passphrase);
      if (!account) {
        db.close();
        return undefined;
      }
      await this.begin({ remember: true }, db, api, account, false);
      return infoOf(account);
    });
  }

  /** The account kept on this device (locked or not), without unlocking it; undefined if none. */
  async deviceAccount(args: { readonly dbName?: string } = {}): Promise<{ readonly email: string } | undefined> {
    const db = this.context?.db ?? new KuraDb(args.dbName ?? 'kura');
    try {
      const stored = await storedAccount(db);
      return stored ? { email: stored.email } : undefined;
    } finally {
      if (db !== this.context?.db) db.close();
    }
  }

  async isRemembered(): Promise<boolean> {
    return (await storedAccount(this.ready().db))?.remembered !== undefined;
  }

  /** "Remember this device" on or off for the unlocked account. */
  async remember(on: boolean): Promise<void> {
    const { db } = this.ready();
    await setRemembered(db, on ? this.account : undefined);
  }

  /** Ends any open session, then runs `start` on a freshly opened database; closes it if start fails. */
  private async session<T>(args: { readonly origin: string; readonly dbName?: string }, start: (db: KuraDb, api: ApiClient) => Promise<T>): Promise<T> {
    this.close();
    const db = new KuraDb(args.dbName ?? 'kura');
    await db.open();
    try {
      return await start(db, new ApiClient({ origin: args.origin }));
    } catch (e) {
      db.close(); // a wrong passphrase, a server that said no: nothing stays half open
      throw e;
    }
  }

  private async begin(args: { readonly remember: boolean }, db: KuraDb, api: ApiClient, account: UnlockedAccount, keep = true): Promise<void> {
    if (keep) await keepAccount(db, account, args.remember);
    api.token = account.token;
    this.account = account;
    await this.attach(db, api, account.keys, account.deviceId);
  }

  private async attach(db: KuraDb, api: ApiClient, keys: AccountKeys, deviceId: DeviceId, stagingName?: string): Promise<void> {
    const staging = await OpfsStaging.open(stagingName);
    this.context = { db, staging, api, keys, deviceId };
    // One engine for every caller: concurrent sync() calls share a single run.
    this.engine = new SyncEngine({ db, staging, api, onState: (s) => this.syncListeners.forEach((l) => l(s)) });
  }

  /** Forgets the keys and closes the database (lock). Staged data stays. */
  close(): void {
    this.cancel();
    this.context?.db.close();
    this.context = undefined;
    this.engine = undefined;
    this.account = undefined;
  }

  // --- Backing up -------------------------------------------------------------------------------

  async backupFolder(sourceId: string, name: string, folder: FileSystemDirectoryHandle, onProgress?: (p: BackupProgress) => void): Promise<BackupResult> {
    return this.backup(sourceFromDirectory(sourceId, folder), name, { sourceId, kind: 'folder' }, onProgress);
  }

  /** Single files picked with showOpenFilePicker. */
  async backupFileHandles(sourceId: string, name: string, handles: FileSystemFileHandle[], onProgress?: (p: BackupProgress) => void): Promise<BackupResult> {
    return this.backup(sourceFromFileHandles(sourceId, handles), name, { sourceId, kind: 'files' }, onProgress);
  }

  /** The fallback for browsers without showDirectoryPicker: files from `<input webkitdirectory>`. */
  async backupFiles(sourceId: string, name: string, files: File[], onProgress?: (p: BackupProgress) => void): Promise<BackupResult> {
    return this.backup(sourceFromFiles(sourceId, files), name, { sourceId, kind: 'input' }, onProgress);
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

  /** The folders and file sets kept on this device, with their last run. */
  async sources(): Promise<SourceSummary[]> {
    const { db, keys } = this.ready();
    return sourceSummaries(db, keys);
  }

  /** Stops backing up a source here (its snapshots stay on the server). */
  async removeSource(sourceId: string): Promise<void> {
    await removeSource(this.ready().db, sourceId);
  }

  // --- The account and its devices, as the server holds them -------------------------------------

  accountStatus(): Promise<AccountResponse> {
    return this.ready().api.account();
  }

  devices(): Promise<DeviceResponse[]> {
    return this.ready().api.devices();
  }

  async renameDevice(id: DeviceId, name: string): Promise<void> {
    await this.ready().api.renameDevice(id, name);
  }

  revokeDevice(id: DeviceId): Promise<void> {
    return this.ready().api.revokeDevice(id);
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
    const { db, keys } = this.ready();
    const picked = await keptSource(run.sourceId);
    const name = (await sealedSourceName(db, keys, run.sourceId)) ?? (picked?.kind === 'folder' ? picked.handle.name : run.sourceId);
    return this.backupKept(run.sourceId, name, onProgress);
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

  /** The account's file backups (records are listed by the records service). */
  async snapshots(): Promise<SnapshotList> {
    const { api, db, keys } = this.ready();
    const list = await snapshotList(api, db, keys);
    return { ...list, snapshots: list.snapshots.filter((s) => s.kind === 'files') };
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

  /**
   * Restores entries as a zip written to OPFS, where showDirectoryPicker is missing; the page
   * downloads `file` through `URL.createObjectURL`. Files that fail verification are 'failed' in
   * `results` and left out of the zip's listing (see restore/to-zip.ts).
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

  /**
   * Deletes, on the server, the snapshots the retention rule forgets, per device, kind and source
   * (the source read from each sealed manifest, cached on the device).
   */
  async applyRetention(rule: RetentionRule): Promise<SnapshotId[]> {
    const { api, db, keys } = this.ready();
    return applyRetention(api, rule, async (s) =>
      s.kind === 'records'
        ? `records:${(await recordSetOf(api, keys, s, db)).kind}`
        : (await manifestOf(api, keys, s.id, undefined, db)).source,
    );
  }

  // --- Signing out ------------------------------------------------------------------------------

  /** Signs out on this device, keeping unsent backups for this account or erasing everything. */
  async signOut(erase: boolean, locked?: { readonly origin: string; readonly dbName?: string; readonly stagingName?: string }): Promise<SignOutResult> {
    this.cancel();
    await this.queue.catch(() => undefined); // let a cancelled run end before anything is erased
    const forgetPicks = async () => {
      for (const kept of await keptSources()) await forgetSource(kept.sourceId);
    };
    // From the lock screen no key is open: the database, the staging and the kept token suffice.
    const { db, staging, api } = this.context ?? (locked ? await this.lockedContext(locked) : this.ready());
    try {
      return await signOut(db, staging, { erase, api, forgetPicks });
    } finally {
      this.close();
      if (!this.context) db.close();
    }
  }

  private async lockedContext(args: { readonly origin: string; readonly dbName?: string; readonly stagingName?: string }) {
    const db = new KuraDb(args.dbName ?? 'kura');
    const token = (await storedAccount(db))?.token;
    return { db, staging: await OpfsStaging.open(args.stagingName), api: new ApiClient({ origin: args.origin, ...(token ? { token } : {}) }) };
  }

  // ----------------------------------------------------------------------------------------------

  private backup(source: FileSource, name: string, run: InterruptedRun, onProgress?: (p: BackupProgress) => void): Promise<BackupResult> {
    const next = this.queue.catch(() => undefined).then(() => this.runOne(source, name, run, onProgress));
    this.queue = next;
    return next;
  }

  private async runOne(source: FileSource, name: string, run: InterruptedRun, onProgress?: (p: BackupProgress) => void): Promise<BackupResult> {
    const { db, staging, keys, deviceId } = this.ready();
    this.controller = new AbortController();
    await db.settings.put({ key: RUN_IN_PROGRESS, value: run });
    const ahead = this.aheadOfCommit();
    const counted = runCounter(db, source); // usage statistics, kept only with consent
    try {
      const result = await counted.ended(runBackup({
        db,
        staging,
        keys,
        deviceId,
        source: counted.source,
        sourceName: name,
        sourceKind: run.kind === 'input' ? 'files' : run.kind,
        gate: this.gate,
        signal: this.controller.signal,
        thumbnailer: makeThumbnail,
        onProgress: (p) => {
          ahead(p.bytesDone);
          onProgress?.(p);
        },
      }));
      await markChecked(db, run.sourceId);
      return result;
    } finally {
      // Ended, by success, cancel or error: nothing to take up after a restart. (A crash skips this.)
      await db.settings.delete(RUN_IN_PROGRESS);
    }
  }

  /**
   * While a run reads, the sync engine is woken every few MiB to send what is staged so far, so
   * reading and uploading overlap. It stops trying for this run once the network is not there.
   */
  private aheadOfCommit(): (bytesDone: number) => void {
    let last = 0;
    let gaveUp = !this.uploadAhead;
    return (bytesDone) => {
      if (gaveUp || bytesDone - last < AHEAD_EVERY_BYTES || !this.engine) return;
      last = bytesDone;
      void this.engine.run().then(
        (state) => void (state.kind !== 'in-sync' && (gaveUp = true)),
        () => void (gaveUp = true),
      );
    };
  }

  private ready(): Context {
    if (!this.context) throw new KuraError('unauthenticated', { reason: 'the engine is not open' });
    return this.context;
  }
}

function infoOf(account: UnlockedAccount): AccountInfo {
  return { accountId: account.accountId, email: account.email, deviceId: account.deviceId };
}
