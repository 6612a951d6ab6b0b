/**
 * The AppApi in the browser: the engine worker (every key, every byte of content), the pickers and
 * permission prompts (which must run in the page, inside the user's click), the sync loop, the
 * service worker, preferences, notifications. The screens see only the AppApi.
 */
import { isKuraError, KuraError } from '../core/errors.ts';
import type { FileEntry } from '../core/manifest/snapshot.ts';
import { version } from '../../package.json';
import type { AppApi, Capabilities, SourceSummary, StartState } from './app-api.ts';
import { keepSource, reconnectKept, type PickedSource } from './backup/handles.ts';
import { proxy, startEngine, type Engine } from './engine/connect.ts';
import { startPageSync } from './engine/page-sync.ts';
import { onLaunchFiles } from './launch.ts';
import { download, picked } from './page-files.ts';
import { recordsClient } from './records-client.ts';
import { createPrivacyClient } from './privacy-client.ts';
import { askNotificationPermission, canBadge, canNotify, notify, setBadge } from './notify.ts';
import { loadPreferences, savePreferences } from './preferences.ts';
import { announceUpdates, registerServiceWorker, type ServiceWorkerControl } from './pwa.ts';
import { localStorageState, requestPersistence } from './storage.ts';
import type { SyncScheduler } from './sync/scheduler.ts';

interface Pickers {
  showDirectoryPicker?(options?: { id?: string; mode?: 'read' | 'readwrite' }): Promise<FileSystemDirectoryHandle>;
  showOpenFilePicker?(options?: { multiple?: boolean; id?: string }): Promise<FileSystemFileHandle[]>;
}

export interface AppClientOptions {
  readonly origin?: string;
  readonly engine?: Engine;
  readonly serviceWorker?: ServiceWorkerControl | undefined;
}

export function createAppClient(options: AppClientOptions = {}): AppApi {
  const origin = options.origin ?? location.origin;
  const engine = options.engine ?? startEngine().engine;
  const serviceWorker = 'serviceWorker' in options ? options.serviceWorker : import.meta.env.PROD ? registerServiceWorker() : undefined;
  // The `kura:update-ready` window event too, for anything outside the app that listens for it.
  if (serviceWorker && typeof window !== 'undefined') announceUpdates(serviceWorker, window);
  const pickers = globalThis as unknown as Pickers;
  let scheduler: SyncScheduler | undefined;
  const listeners = new Set<Parameters<AppApi['watchSync']>[0]>();

  const capabilities: Capabilities = {
    folderPicker: typeof pickers.showDirectoryPicker === 'function',
    filePicker: typeof pickers.showOpenFilePicker === 'function',
    notifications: canNotify(),
    badge: canBadge(),
  };

  const privacy = createPrivacyClient(engine, { kick: () => scheduler?.kick() });
  // Usage statistics ride on the sync loop: when in sync, the service sends a report if the ledger
  // grants it and a day has passed (it checks both on the device first). Tried at most hourly here.
  // Each try leaves a `kura:usage-check` mark on the page's performance timeline with what the
  // service decided ('not-granted', 'sent', ...): visible in devtools, and the Chromium journey's
  // proof that the sender ran and chose not to send, rather than a wait that hopes it would have.
  let usageTriedAt = 0;
  const markUsage = (detail: string) => void globalThis.performance?.mark?.('kura:usage-check', { detail });
  const maybeSendUsage = (state: { readonly kind: string }) => {
    if (state.kind !== 'in-sync' || Date.now() - usageTriedAt < 3_600_000) return;
    usageTriedAt = Date.now();
    void privacy.sendUsageIfDue().then(markUsage, () => markUsage('failed'));
  };

  const stopSync = () => {
    scheduler?.stop();
    scheduler = undefined;
  };

  async function keep(picked: PickedSource): Promise<SourceSummary | undefined> {
    const id = `src_${crypto.randomUUID()}`;
    await keepSource(id, picked);
    return (await engine.sources()).find((s) => s.id === id);
  }

  async function nameOf(sourceId: string): Promise<string> {
    return (await engine.sources()).find((s) => s.id === sourceId)?.name ?? sourceId;
  }

  return {
    capabilities,
    version,
    ...recordsClient(engine, { kick: () => scheduler?.kick(), pickers }),
    privacy,

    async start(): Promise<StartState> {
      const kept = await engine.deviceAccount();
      if (!kept) return { kind: 'new' };
      const account = await engine.unlock({ origin }).catch(() => undefined);
      return account ? { kind: 'ready', account } : { kind: 'locked', email: kept.email };
    },
    createAccount: (input) => engine.createAccount({ origin, ...input }),
    signIn: (input) => engine.signIn({ origin, ...input }),
    undoDeletion: (input) => engine.signIn({ origin, ...input }),
    pendingDeletion: (input) => engine.pendingDeletion({ origin, ...input }),
    offeredExternalServices: () => engine.offeredExternalServices({ origin }),
    async unlock(passphrase) {
      const account = await engine.unlock({ origin, passphrase });
      if (!account) throw new KuraError('unauthenticated', { reason: 'no account on this device' });
      return account;
    },
    async lock() {
      stopSync();
      await engine.close();
    },
    setRemembered: (on) => engine.remember(on),
    isRemembered: () => engine.isRemembered(),
    async signOut(erase) {
      stopSync();
      return engine.signOut(erase, { origin }); // works from the lock screen too
    },
    async accountUsage() {
      try {
        const status = await engine.accountStatus();
        return { email: status.email, usageBytes: status.usageBytes, quotaBytes: status.quotaBytes };
      } catch (e) {
        if (isKuraError(e, 'network-unavailable')) return undefined;
        throw e;
      }
    },

    devices: () => engine.devices(),
    renameDevice: (id, name) => engine.renameDevice(id, name),
    revokeDevice: (id) => engine.revokeDevice(id),

    requestPersistence: () => requestPersistence(),
    localStorageState: () => localStorageState(),

    sources: () => engine.sources(),
    async addFolder() {
      const handle = await picked(() => pickers.showDirectoryPicker!({ id: 'kura-source', mode: 'read' }));
      return handle ? keep({ kind: 'folder', handle }) : undefined;
    },
    async addFiles() {
      const handles = await picked(() => pickers.showOpenFilePicker!({ multiple: true, id: 'kura-files' }));
      return handles?.length ? keep({ kind: 'files', handles }) : undefined;
    },
    reconnect: (sourceId) => reconnectKept(sourceId),
    removeSource: (sourceId) => engine.removeSource(sourceId),
    async backUp(sourceId, onProgress) {
      return engine.backupKept(sourceId, await nameOf(sourceId), proxy(onProgress));
    },
    backUpInputFiles: (files, name, onProgress) => engine.backupFiles(`src_${crypto.randomUUID()}`, name, [...files], proxy(onProgress)),
    async interrupted() {
      const run = await engine.interruptedRun();
      return run ? { sourceId: run.sourceId, name: await nameOf(run.sourceId) } : undefined;
    },
    resumeInterrupted: (onProgress) => engine.resumeInterrupted(proxy(onProgress)),
    pauseBackup: () => void engine.pause(),
    resumeBackup: () => void engine.resume(),
    cancelBackup: () => void engine.cancel(),

    watchSync(onState) {
      listeners.add(onState);
      const onSyncState = (s: Parameters<typeof onState>[0]) => {
        listeners.forEach((l) => l(s));
        maybeSendUsage(s);
      };
      scheduler ??= startPageSync({ engine, onState: onSyncState, ...(serviceWorker ? { serviceWorker } : {}) });
      return () => {
        listeners.delete(onState);
        if (listeners.size === 0) stopSync();
      };
    },
    syncNow: () => void scheduler?.kick(),
    pauseSync: () => scheduler?.pause(),
    resumeSync: () => scheduler?.resume(),
    pending: () => engine.pending(),

    snapshots: () => engine.snapshots(),
    manifest: (id) => engine.manifest(id),
    async thumbnail(id) {
      const bytes = await engine.thumbnail(id);
      return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: imageType(bytes) });
    },
    async openFile(entry: FileEntry) {
      const stream = await engine.readFile(entry);
      const blob = await new Response(stream).blob();
      return new Blob([blob], { type: entry.type || 'application/octet-stream' });
    },
    applyRetention: (rule) => engine.applyRetention(rule),

    async restoreToFolder(entries, collision, onFile) {
      const target = await picked(() => pickers.showDirectoryPicker!({ id: 'kura-restore', mode: 'readwrite' }));
      if (!target) return undefined;
      return engine.restoreToFolder([...entries], target, collision, proxy(onFile));
    },
    async restoreToZip(entries, name, onFile) {
      const { file, results } = await engine.restoreToZip([...entries], proxy(onFile));
      download(file, name);
      return results;
    },
    cancelRestore() {
      void engine.cancel();
      void engine.cancelZip();
    },

    loadPreferences: () => loadPreferences(),
    savePreferences: (changes) => savePreferences(changes),
    enableNotifications: () => askNotificationPermission(),
    notify,
    setBadge,
    onUpdateReady(callback) {
      void serviceWorker?.updateReady.then(callback);
    },
    onLaunchFiles,
  };
}

/** Thumbnails are WebP where the browser encodes it, JPEG otherwise (PNG from imports). */
function imageType(bytes: Uint8Array): string {
  const starts = (...magic: number[]) => magic.every((b, i) => bytes[i] === b);
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45) return 'image/webp';
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  return 'image/jpeg';
}
