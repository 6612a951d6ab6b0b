/**
 * An AppApi for component tests: in-memory sources, snapshots and devices, every call recorded
 * (vi.fn), and hooks to hold a call open (`hold`) or make it fail (`failNext`), so a test can
 * show a screen loading, in progress, failed or offline.
 */
import { vi } from 'vitest';
import type { AccountInfo, AppApi, Capabilities, Preferences, ScheduledState, SourceSummary, StartState } from '../../src/client/app-api.ts';
import { DEFAULT_PREFERENCES } from '../../src/client/app-api.ts';
import { KuraError, type KuraErrorCode } from '../../src/core/errors.ts';
import type { AccountId, ChunkId, DeviceId, SnapshotId } from '../../src/core/ids.ts';
import type { FileEntry, Snapshot } from '../../src/core/manifest/snapshot.ts';
import type { DeviceResponse, SnapshotSummary } from '../../src/core/protocol.ts';
import type { OfferedExternalService } from '../../src/client/privacy-api.ts';
import { FakePrivacy } from './fake-privacy.ts';
import { FakeRecords } from './fake-records.ts';

export const ACCOUNT: AccountInfo = { accountId: 'acc_fake' as AccountId, email: 'hana@example.jp', deviceId: 'dev_this' as DeviceId };

type Method = keyof AppApi;

/** A promise a test resolves or rejects when it likes. */
export interface Held<T = unknown> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function fileEntry(path: string, overrides: Partial<FileEntry> = {}): FileEntry {
  return { path, size: 1000, lastModified: Date.UTC(2026, 10, 1), type: '', chunks: [], hash: 'h'.repeat(43) as FileEntry['hash'], ...overrides };
}

export function snapshot(id: string, entries: readonly FileEntry[], overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    format: 'kura-snapshot',
    v: 1,
    id: id as SnapshotId,
    kind: 'files',
    deviceId: ACCOUNT.deviceId,
    counter: 1,
    createdAt: Date.UTC(2026, 10, 20, 9, 30),
    source: 'Photos',
    entries,
    ...overrides,
  };
}

export class FakeApi implements AppApi {
  capabilities: Capabilities = { folderPicker: true, filePicker: true, notifications: true, badge: true };
  version = '0.1.0-test';
  startState: StartState = { kind: 'new' };
  sourceList: SourceSummary[] = [];
  snapshotList: { snapshots: SnapshotSummary[]; offline: boolean } = { snapshots: [], offline: false };
  manifests = new Map<string, Snapshot>();
  deviceList: DeviceResponse[] = [];
  preferences: Preferences = { ...DEFAULT_PREFERENCES };
  pendingState = { commits: 0, stagedBytes: 0 };
  remembered = false;
  syncListener: ((s: ScheduledState) => void) | undefined;
  updateCallback: ((activate: () => void) => void) | undefined;
  launchCallback: ((files: File[]) => void) | undefined;
  private held = new Map<Method, Held[]>();
  private failures = new Map<Method, unknown>();

  /** The next call of `method` waits until the test settles it. */
  hold<T = unknown>(method: Method): Held<T> {
    const list = this.held.get(method) ?? [];
    let settle!: Held<T>;
    const gate = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
    list.push({ resolve: (v) => settle.resolve(v as T), reject: (e) => settle.reject(e) });
    this.held.set(method, list);
    (this.gates as Map<Method, Promise<unknown>[]>).set(method, [...(this.gates.get(method) ?? []), gate]);
    return settle;
  }
  private gates = new Map<Method, Promise<unknown>[]>();

  /** The next call of `method` rejects with a KuraError of this code (or the given error). */
  failNext(method: Method, error: KuraErrorCode | Error): void {
    this.failures.set(method, typeof error === 'string' ? new KuraError(error) : error);
  }

  /** Sends a sync state to the app, as the sync loop would. */
  emitSync(state: ScheduledState): void {
    this.syncListener?.(state);
  }

  private async call<T>(method: Method, value: () => T | Promise<T>): Promise<T> {
    const failure = this.failures.get(method);
    if (failure) {
      this.failures.delete(method);
      throw failure;
    }
    const gates = this.gates.get(method);
    const gate = gates?.shift();
    if (gate) return (await gate) as T;
    return value();
  }

  start = vi.fn(() => this.call('start', () => this.startState));
  createAccount = vi.fn((input: { email: string }) => this.call('createAccount', () => ({ ...ACCOUNT, email: input.email, recoveryCode: 'ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789' })));
  signIn = vi.fn((input: { email: string }) => this.call('signIn', () => ({ ...ACCOUNT, email: input.email })));
  unlock = vi.fn((_passphrase: string) => this.call('unlock', () => ACCOUNT));
  undoDeletion = vi.fn((input: { email: string }) => this.call('undoDeletion', () => ({ ...ACCOUNT, email: input.email })));
  /** What pendingDeletion answers (set by a test: the account is pending deletion until then). */
  deletionDueAt: number | undefined;
  pendingDeletion = vi.fn((_input: { email: string; recoveryCode: string }) =>
    this.call('pendingDeletion', () => (this.deletionDueAt === undefined ? undefined : { deletionDueAt: this.deletionDueAt })),
  );
  /** The external connections the server offers at first run (set by a test; none by default). */
  offered: OfferedExternalService[] = [];
  offeredExternalServices = vi.fn(() => this.call('offeredExternalServices', () => [...this.offered]));
  lock = vi.fn(() => this.call('lock', () => undefined));
  setRemembered = vi.fn((on: boolean) => this.call('setRemembered', () => void (this.remembered = on)));
  isRemembered = vi.fn(() => this.call('isRemembered', () => this.remembered));
  signOut = vi.fn((_erase: boolean) => this.call('signOut', () => ({ unsentCommits: 0, sessionRevoked: true })));
  accountUsage = vi.fn(() => this.call('accountUsage', () => ({ email: ACCOUNT.email, usageBytes: 1_500_000_000, quotaBytes: 50_000_000_000 }) as Awaited<ReturnType<AppApi['accountUsage']>>));
  devices = vi.fn(() => this.call('devices', () => this.deviceList));
  renameDevice = vi.fn((id: DeviceId, name: string) =>
    this.call('renameDevice', () => void (this.deviceList = this.deviceList.map((d) => (d.id === id ? { ...d, name } : d)))),
  );
  revokeDevice = vi.fn((id: DeviceId) => this.call('revokeDevice', () => void (this.deviceList = this.deviceList.filter((d) => d.id !== id))));
  requestPersistence = vi.fn(() => this.call('requestPersistence', () => true));
  localStorageState = vi.fn(() => this.call('localStorageState', () => ({ persisted: true, usageBytes: 250_000_000, quotaBytes: 10_000_000_000 })));
  sources = vi.fn(() => this.call('sources', () => this.sourceList));
  addFolder = vi.fn(() => this.call('addFolder', () => this.addSource({ id: `src_${this.sourceList.length + 1}`, kind: 'folder', name: 'Photos', permission: 'granted' })));
  addFiles = vi.fn(() => this.call('addFiles', () => this.addSource({ id: `src_${this.sourceList.length + 1}`, kind: 'files', name: 'report.pdf', permission: 'granted' })));
  reconnect = vi.fn((id: string) =>
    this.call('reconnect', () => {
      this.sourceList = this.sourceList.map((s) => (s.id === id ? { ...s, permission: 'granted' as const } : s));
      return true;
    }),
  );
  removeSource = vi.fn((id: string) => this.call('removeSource', () => void (this.sourceList = this.sourceList.filter((s) => s.id !== id))));
  backUp = vi.fn((_id: string, _onProgress: Parameters<AppApi['backUp']>[1]) =>
    this.call('backUp', () => ({ snapshotId: 'snap_new' as SnapshotId, files: 3, unchanged: 0, resumed: 0, newChunks: 3, bytesRead: 3000, failures: [] })),
  );
  backUpInputFiles = vi.fn((files: readonly File[], _name: string, _onProgress: Parameters<AppApi['backUp']>[1]) =>
    this.call('backUpInputFiles', () => ({ snapshotId: 'snap_input' as SnapshotId, files: files.length, unchanged: 0, resumed: 0, newChunks: files.length, bytesRead: 0, failures: [] })),
  );
  interrupted = vi.fn(() => this.call('interrupted', () => undefined as Awaited<ReturnType<AppApi['interrupted']>>));
  resumeInterrupted = vi.fn((_onProgress: Parameters<AppApi['backUp']>[1]) => this.call('resumeInterrupted', () => undefined as Awaited<ReturnType<AppApi['resumeInterrupted']>>));
  pauseBackup = vi.fn();
  resumeBackup = vi.fn();
  cancelBackup = vi.fn();
  watchSync = vi.fn((onState: (s: ScheduledState) => void) => {
    this.syncListener = onState;
    return () => (this.syncListener = undefined);
  });
  syncNow = vi.fn();
  pauseSync = vi.fn(() => this.emitSync({ kind: 'paused' }));
  resumeSync = vi.fn(() => this.emitSync({ kind: 'in-sync' }));
  pending = vi.fn(() => this.call('pending', () => this.pendingState));
  snapshots = vi.fn(() => this.call('snapshots', () => this.snapshotList));
  manifest = vi.fn((id: SnapshotId) =>
    this.call('manifest', () => {
      const found = this.manifests.get(id);
      if (!found) throw new KuraError('not-found');
      return found;
    }),
  );
  thumbnail = vi.fn((_id: ChunkId) => this.call('thumbnail', () => new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' })));
  openFile = vi.fn((entry: FileEntry) => this.call('openFile', () => new Blob(['content of ' + entry.path], { type: entry.type || 'text/plain' })));
  applyRetention = vi.fn((_rule: Preferences['retention']) => this.call('applyRetention', () => [] as SnapshotId[]));
  restoreToFolder = vi.fn((entries: readonly FileEntry[], _c: unknown, onFile: (r: { path: string; status: 'restored' }, i: number, n: number) => void) =>
    this.call('restoreToFolder', () => entries.map((e, i) => (onFile({ path: e.path, status: 'restored' }, i, entries.length), { path: e.path, status: 'restored' as const }))),
  );
  restoreToZip = vi.fn((entries: readonly FileEntry[], _name: string, onFile: (r: { path: string; status: 'restored' }, i: number, n: number) => void) =>
    this.call('restoreToZip', () => entries.map((e, i) => (onFile({ path: e.path, status: 'restored' }, i, entries.length), { path: e.path, status: 'restored' as const }))),
  );
  cancelRestore = vi.fn();
  loadPreferences = vi.fn(() => this.preferences);
  savePreferences = vi.fn((changes: Partial<Preferences>) => (this.preferences = { ...this.preferences, ...changes }));
  enableNotifications = vi.fn(() => this.call('enableNotifications', () => true));
  notify = vi.fn();
  setBadge = vi.fn();
  onUpdateReady = vi.fn((callback: (activate: () => void) => void) => void (this.updateCallback = callback));
  onLaunchFiles = vi.fn((callback: (files: File[]) => void) => void (this.launchCallback = callback));

  /** Records (issue 6): the store, previews and exports; the methods below delegate to it. */
  privacy = new FakePrivacy();
  readonly recordsFake = new FakeRecords((method, value) => this.call(method, value));
  records = this.recordsFake.records;
  deletedRecords = this.recordsFake.deletedRecords;
  recordHistory = this.recordsFake.recordHistory;
  restoreRecordVersion = this.recordsFake.restoreRecordVersion;
  deleteRecords = this.recordsFake.deleteRecords;
  previewImport = this.recordsFake.previewImport;
  commitImport = this.recordsFake.commitImport;
  discardImport = this.recordsFake.discardImport;
  exportRecords = this.recordsFake.exportRecords;

  private addSource(source: SourceSummary): SourceSummary {
    this.sourceList = [...this.sourceList, source];
    return source;
  }
}
