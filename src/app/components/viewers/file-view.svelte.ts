/**
 * One open file in the viewer: its verified plaintext as a Blob and an object URL for it (revoked
 * when another file opens or the viewer closes), the text when it is a text file, or the error.
 * Nothing of a file that fails its integrity check is kept: openFile rejects before any byte of
 * it reaches here.
 */
import type { AppApi } from '../../../client/app-api.ts';
import type { FileEntry } from '../../../core/manifest/snapshot.ts';
import { isKuraError, type KuraErrorCode } from '../../../core/errors.ts';
import { errorKey } from '../../state/errors.ts';
import { blobType, viewerKind } from './kind.ts';
import { readText } from './text.ts';

export type FileViewStatus = 'loading' | 'ready' | 'error';

export class FileView {
  status = $state<FileViewStatus>('loading');
  blob = $state.raw<Blob | undefined>(undefined);
  url = $state<string | undefined>(undefined);
  text = $state<string | undefined>(undefined);
  truncated = $state(false);
  error = $state.raw<unknown>(undefined);
  /** Bumped by every load and by dispose: an answer for an older one is dropped. */
  #generation = 0;

  constructor(private readonly api: AppApi) {}

  async load(entry: FileEntry): Promise<void> {
    const generation = ++this.#generation;
    this.release();
    this.status = 'loading';
    this.error = undefined;
    try {
      const decrypted = await this.api.openFile(entry);
      const type = blobType(entry);
      // Re-typing wraps the same bytes (no copy): the PDF viewer and media elements need the type.
      const blob = decrypted.type === type ? decrypted : new Blob([decrypted], { type });
      const shown = viewerKind(entry) === 'text' ? await readText(blob) : undefined;
      if (generation !== this.#generation) return;
      this.blob = blob;
      this.text = shown?.text;
      this.truncated = shown?.truncated ?? false;
      this.url = URL.createObjectURL(blob);
      this.status = 'ready';
    } catch (e) {
      if (generation !== this.#generation) return;
      this.error = e;
      this.status = 'error';
    }
  }

  /** The viewer closed: revoke the URL and ignore a load still running. */
  dispose(): void {
    this.#generation++;
    this.release();
  }

  private release(): void {
    if (this.url !== undefined) URL.revokeObjectURL(this.url);
    this.url = undefined;
    this.blob = undefined;
    this.text = undefined;
    this.truncated = false;
  }
}

/** Codes that mean the stored bytes are not what was backed up. */
const INTEGRITY: ReadonlySet<KuraErrorCode> = new Set(['restore-hash-mismatch', 'restore-size-mismatch', 'chunk-id-mismatch', 'envelope-auth-failed', 'envelope-malformed', 'object-corrupt']);

/** The message for a file that could not be opened. */
export function viewerErrorKey(error: unknown, online: boolean): string {
  if (isKuraError(error) && INTEGRITY.has(error.code)) return 'restore.viewer.errors.integrity';
  if (isKuraError(error, 'network-unavailable') && !online) return 'restore.viewer.errors.notOnDevice';
  return errorKey(error);
}
