/**
 * What the Home screen tests share: sources in each state, a way to reach the progress callback
 * of a held backup, a minimal `<dialog>` (jsdom has the element but not showModal/close), and
 * rendering the screen and waiting for its first data.
 */
import { cleanup, waitFor } from '@testing-library/svelte';
import { afterEach, expect } from 'vitest';
import type { BackupProgress, BackupResult, SourceSummary } from '../../../src/client/app-api.ts';
import type { Language } from '../../../src/client/app-api.ts';
import type { SnapshotId } from '../../../src/core/ids.ts';
import Home from '../../../src/app/screens/home/Home.svelte';
import { FakeApi } from '../fake-api.ts';
import { makeKura, renderScreen, type Rendered } from '../render.ts';

afterEach(() => cleanup());

// jsdom knows <dialog> but not its methods: enough of them for the confirm dialogs.
const dialogProto = HTMLDialogElement.prototype as HTMLDialogElement & { showModal: () => void; close: () => void };
if (typeof dialogProto.showModal !== 'function') {
  dialogProto.showModal = function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  dialogProto.close = function (this: HTMLDialogElement) {
    if (!this.hasAttribute('open')) return;
    this.removeAttribute('open');
    this.dispatchEvent(new Event('close'));
  };
}

export const HOUR = 3_600_000;

export function folder(overrides: Partial<SourceSummary> = {}): SourceSummary {
  return { id: 'src_photos', kind: 'folder', name: 'Photos', permission: 'granted', ...overrides };
}

export function progress(overrides: Partial<BackupProgress> = {}): BackupProgress {
  return { filesDone: 1234, filesTotal: 5000, bytesDone: 1_200_000_000, bytesTotal: 4_800_000_000, currentFile: 'Photos/2026/Trip/IMG_0001.jpg', rate: 12_000_000, etaSeconds: 180, ...overrides };
}

export function result(overrides: Partial<BackupResult> = {}): BackupResult {
  return { snapshotId: 'snap_1' as SnapshotId, files: 120, unchanged: 3, resumed: 0, newChunks: 117, bytesRead: 5_000_000, failures: [], ...overrides };
}

/** A FakeApi whose `backUp` onProgress of the latest call the test can drive. */
export class HomeApi extends FakeApi {
  lastProgress(method: 'backUp' | 'backUpInputFiles' | 'resumeInterrupted' = 'backUp'): (p: BackupProgress) => void {
    const calls = this[method].mock.calls;
    const call = calls[calls.length - 1];
    if (!call) throw new Error(`${method} was not called`);
    const onProgress = call[call.length - 1];
    if (typeof onProgress !== 'function') throw new Error(`${method} had no progress callback`);
    return onProgress as (p: BackupProgress) => void;
  }
}

export interface HomeOptions {
  api?: HomeApi;
  language?: Language;
  online?: boolean;
  notifications?: boolean;
  /** False: do not wait for the sources (a test holding `sources`). */
  loaded?: boolean;
}

/** Renders Home and waits until the source list (or its empty state) is shown. */
export async function renderHome(options: HomeOptions = {}): Promise<Rendered & { api: HomeApi }> {
  const api = options.api ?? new HomeApi();
  if (options.notifications) api.preferences = { ...api.preferences, notifications: true };
  const kura = makeKura(api, { ...(options.language ? { language: options.language } : {}), ...(options.online === undefined ? {} : { online: options.online }) });
  const rendered = renderScreen(Home, { kura });
  await waitFor(() => expect(api.sources).toHaveBeenCalled());
  if (options.loaded !== false) await waitFor(() => expect(document.querySelector('[aria-busy="true"]')).toBeNull());
  return { ...rendered, api };
}
