/**
 * Everything the Svelte app may ask of Kura, in one interface (DESIGN.md section 2: the UI never
 * touches storage or the network; it calls client services). `app-client.ts` implements it in the
 * browser over the engine worker, the pickers and the service worker; the component tests pass a
 * fake. Every call that can fail rejects with a KuraError whose `code` the screens translate.
 */
import type { ChunkId, DeviceId, SnapshotId } from '../core/ids.ts';
import type { FileEntry, Snapshot } from '../core/manifest/snapshot.ts';
import type { DeviceResponse } from '../core/protocol.ts';
import type { RetentionRule } from '../core/retention.ts';
import type { SignOutResult } from './account/sign-out.ts';
import type { BackupProgress, BackupResult } from './backup/run.ts';
import type { AccountInfo, SnapshotList } from './engine/service.ts';
import type { RestoredFile, Collision } from './restore/to-folder.ts';
import type { LocalStorageState } from './storage.ts';
import type { ScheduledState } from './sync/scheduler.ts';
import type { OfferedExternalService, PrivacyApi } from './privacy-api.ts';
import type { RecordsApi } from './records-api.ts';

export type { AccountInfo, SnapshotList, BackupProgress, BackupResult, RestoredFile, Collision, ScheduledState, LocalStorageState, SignOutResult, RetentionRule };

/** Where the app stands when it opens. */
export type StartState =
  /** No account on this device: the first-run screens. */
  | { readonly kind: 'new' }
  /** An account is kept here but locked: ask for its passphrase (works offline). */
  | { readonly kind: 'locked'; readonly email: string }
  /** Unlocked already ("remember this device"). */
  | { readonly kind: 'ready'; readonly account: AccountInfo };

export interface SourceSummary {
  readonly id: string;
  /** 'folder': a picked folder; 'files': single files picked together. */
  readonly kind: 'folder' | 'files';
  readonly name: string;
  /** 'granted': can be read now; 'prompt': needs Reconnect (a click); 'denied': pick it again. */
  readonly permission: PermissionState;
  /** The last finished run on this device, if any. */
  readonly lastBackup?: { readonly at: number; readonly files: number; readonly bytes: number };
}

/** A run cut short by a crash or reload, with the name to show ("Resume backing up Photos"). */
export interface Interrupted {
  readonly sourceId: string;
  readonly name: string;
}

export interface AccountUsage {
  readonly email: string;
  readonly usageBytes: number;
  readonly quotaBytes: number;
}

export type Theme = 'system' | 'light' | 'dark';
export type Language = 'en' | 'ja';

/** The user's choices on this device (no secret, nothing about content). */
export interface Preferences {
  /** Undefined: follow the browser. */
  readonly language: Language | undefined;
  readonly theme: Theme;
  /** Lock after this many minutes without input; 0 never. */
  readonly lockAfterMinutes: number;
  readonly retention: RetentionRule;
  /** Notify when a backup finishes (only asked for when the user turns it on). */
  readonly notifications: boolean;
}

export const DEFAULT_PREFERENCES: Preferences = {
  language: undefined,
  theme: 'system',
  lockAfterMinutes: 15,
  retention: { last: 10, daily: 7, weekly: 4, monthly: 12 },
  notifications: false,
};

export interface Capabilities {
  /** showDirectoryPicker exists; otherwise the app offers `<input webkitdirectory>`. */
  readonly folderPicker: boolean;
  /** showOpenFilePicker exists; otherwise a plain `<input type=file multiple>`. */
  readonly filePicker: boolean;
  readonly notifications: boolean;
  readonly badge: boolean;
}

export interface AppApi extends RecordsApi {
  readonly capabilities: Capabilities;
  /** The privacy center (issue 7): policy, consents, usage statistics, the user's rights. */
  readonly privacy: PrivacyApi;

  // --- Account ------------------------------------------------------------------------------
  start(): Promise<StartState>;
  createAccount(input: { email: string; passphrase: string; remember: boolean }): Promise<AccountInfo & { readonly recoveryCode: string }>;
  signIn(input: { email: string; remember: boolean } & ({ passphrase: string } | { recoveryCode: string })): Promise<AccountInfo>;
  unlock(passphrase: string): Promise<AccountInfo>;
  /**
   * Cancels the account's pending deletion with the recovery code and a NEW passphrase (the old
   * one was destroyed at deletion), then signs in as signIn does (kept on the device, unlocked).
   */
  undoDeletion(input: { email: string; recoveryCode: string; newPassphrase: string; remember: boolean }): Promise<AccountInfo>;
  /**
   * After a recovery sign-in was refused with bad-credentials: when the account is pending deletion
   * (the same code proves it), its due time (ms since epoch); undefined when the code is just wrong.
   */
  pendingDeletion(input: { email: string; recoveryCode: string }): Promise<{ readonly deletionDueAt: number } | undefined>;
  /**
   * The optional external connections this server offers (often none), read from its public policy
   * answer: no account and no identifier is sent, so the first-run consent step can list each as a
   * purpose of its own before anything else reaches the server.
   */
  offeredExternalServices(): Promise<readonly OfferedExternalService[]>;
  /** Forgets the keys in memory (lock screen next); staged backups stay. */
  lock(): Promise<void>;
  setRemembered(on: boolean): Promise<void>;
  isRemembered(): Promise<boolean>;
  signOut(erase: boolean): Promise<SignOutResult>;
  /** Server usage and quota; undefined when the server cannot be reached. */
  accountUsage(): Promise<AccountUsage | undefined>;

  // --- Devices --------------------------------------------------------------------------------
  devices(): Promise<DeviceResponse[]>;
  renameDevice(id: DeviceId, name: string): Promise<void>;
  revokeDevice(id: DeviceId): Promise<void>;

  // --- This device's storage ------------------------------------------------------------------
  requestPersistence(): Promise<boolean>;
  localStorageState(): Promise<LocalStorageState>;

  // --- Sources and backing up -----------------------------------------------------------------
  sources(): Promise<SourceSummary[]>;
  /** Opens the folder picker (call inside the click); undefined if the user closed it. */
  addFolder(): Promise<SourceSummary | undefined>;
  /** Opens the file picker (call inside the click); undefined if the user closed it. */
  addFiles(): Promise<SourceSummary | undefined>;
  /** Asks again for permission to read a kept folder (call inside the click). */
  reconnect(sourceId: string): Promise<boolean>;
  removeSource(sourceId: string): Promise<void>;
  backUp(sourceId: string, onProgress: (p: BackupProgress) => void): Promise<BackupResult>;
  /** The fallback when the pickers are missing: files from an `<input>`, backed up at once. */
  backUpInputFiles(files: readonly File[], name: string, onProgress: (p: BackupProgress) => void): Promise<BackupResult>;
  interrupted(): Promise<Interrupted | undefined>;
  resumeInterrupted(onProgress: (p: BackupProgress) => void): Promise<BackupResult | undefined>;
  pauseBackup(): void;
  resumeBackup(): void;
  cancelBackup(): void;

  // --- Sync -----------------------------------------------------------------------------------
  /** Starts the sync loop (once); `onState` hears every state. Returns a stop function. */
  watchSync(onState: (state: ScheduledState) => void): () => void;
  syncNow(): void;
  pauseSync(): void;
  resumeSync(): void;
  /** Commits not yet on the server and the bytes staged for them. */
  pending(): Promise<{ commits: number; stagedBytes: number }>;

  // --- Browsing -------------------------------------------------------------------------------
  snapshots(): Promise<SnapshotList>;
  manifest(id: SnapshotId): Promise<Snapshot>;
  /** A thumbnail as an image Blob (decrypted and checked). */
  thumbnail(id: ChunkId): Promise<Blob>;
  /** A file's verified plaintext as a Blob typed by its media type, for the viewers. */
  openFile(entry: FileEntry): Promise<Blob>;
  /** Deletes the snapshots the rule forgets on the server; returns their ids. */
  applyRetention(rule: RetentionRule): Promise<SnapshotId[]>;

  // --- Restoring ------------------------------------------------------------------------------
  /** Asks for a folder (inside the click) and restores into it; undefined if the picker closed. */
  restoreToFolder(entries: readonly FileEntry[], collision: Collision, onFile: (r: RestoredFile, index: number, total: number) => void): Promise<RestoredFile[] | undefined>;
  /** Restores as a zip and hands it to the browser's downloads as `name`. */
  restoreToZip(entries: readonly FileEntry[], name: string, onFile: (r: RestoredFile, index: number, total: number) => void): Promise<RestoredFile[]>;
  cancelRestore(): void;

  // --- This device's preferences, notifications, updates ---------------------------------------
  loadPreferences(): Preferences;
  savePreferences(changes: Partial<Preferences>): Preferences;
  /** Asks the browser for notification permission (inside a click); true when granted. */
  enableNotifications(): Promise<boolean>;
  notify(title: string, body: string): void;
  /** The app badge (installed app): the pending count, 0 clears it. */
  setBadge(count: number): void;
  /** Calls back once a new version is waiting; `activate` switches to it and reloads. */
  onUpdateReady(callback: (activate: () => void) => void): void;
  /** Files handed to the app by the share target or the file handler (vCard, iCalendar, images). */
  onLaunchFiles(callback: (files: File[]) => void): void;
  readonly version: string;
}
