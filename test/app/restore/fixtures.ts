/**
 * Restore runs scripted for the dialog's tests: a selection of files, and a restore whose files
 * come out as the test says (restored, skipped, failed with a code), reported through onFile as
 * the engine would.
 */
import type { Mock } from 'vitest';
import type { AppApi, RestoredFile } from '../../../src/client/app-api.ts';
import type { FileEntry } from '../../../src/core/manifest/snapshot.ts';
import { fileEntry, type FakeApi } from '../fake-api.ts';

export function photos(n: number, size = 1_000_000): FileEntry[] {
  return Array.from({ length: n }, (_, i) => fileEntry(`Photos/IMG_${String(i + 1).padStart(4, '0')}.jpg`, { type: 'image/jpeg', size }));
}

type OnFile = (r: RestoredFile, index: number, total: number) => void;

export function folderMock(api: FakeApi): Mock<AppApi['restoreToFolder']> {
  return api.restoreToFolder as unknown as Mock<AppApi['restoreToFolder']>;
}

export function zipMock(api: FakeApi): Mock<AppApi['restoreToZip']> {
  return api.restoreToZip as unknown as Mock<AppApi['restoreToZip']>;
}

/** The next restore to a folder or zip ends each file as `outcome` says. */
export function scriptNextRestore(api: FakeApi, to: 'folder' | 'zip', outcome: (entry: FileEntry, index: number) => Omit<RestoredFile, 'path'>): void {
  const run = (entries: readonly FileEntry[], onFile: OnFile): RestoredFile[] =>
    entries.map((e, i) => {
      const result = { path: e.path, ...outcome(e, i) };
      onFile(result, i, entries.length);
      return result;
    });
  if (to === 'folder') folderMock(api).mockImplementationOnce(async (entries, _collision, onFile) => run(entries, onFile));
  else zipMock(api).mockImplementationOnce(async (entries, _name, onFile) => run(entries, onFile));
}

/** The onFile the dialog passed to its latest restore call. */
export function lastOnFile(mock: Mock<AppApi['restoreToFolder']> | Mock<AppApi['restoreToZip']>): OnFile {
  const call = mock.mock.calls.at(-1);
  if (!call) throw new Error('no restore was started');
  return call[2];
}
