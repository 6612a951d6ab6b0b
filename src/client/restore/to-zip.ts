/**
 * Restoring files of a snapshot as one zip, for browsers without showDirectoryPicker: the engine
 * worker streams the zip into a file the page then downloads. Each file goes from its verified
 * chunks straight into the zip writer, so memory stays flat whatever the sizes (zip.js picks
 * Zip64 for entries and offsets past 4 GiB from the declared size).
 *
 * [Note: A zip cannot take back a failed file]
 * Bytes already streamed cannot be un-written, and openFile only knows a file is good once its
 * last chunk and whole-file hash check out. A file that fails is therefore (1) dropped from the
 * zip's central directory, which is what every unzip tool lists, so it is never extracted as if
 * it were good; (2) reported 'failed' in the results; and (3) listed with its reason, in English
 * and Japanese, in KURA-RESTORE-REPORT.txt, the zip's last entry. Its partial bytes stay inside
 * the file as an unlisted orphan.
 */
import { configure, TextReader, ZipWriter } from '@zip.js/zip.js/lib/zip-core-custom.js';
import { isKuraError, KuraError } from '../../core/errors.ts';
import { isSafeRelativePath, type FileEntry } from '../../core/manifest/snapshot.ts';
import { openFile, type FetchEnvelope, type RestoreKeys } from '../../core/pipeline/restore.ts';
import type { RestoredFile } from './to-folder.ts';
import { isAlreadyCompressed } from './compressed.ts';
import { reportText, REPORT_NAME } from './zip-report.ts';

// We already run in the engine worker: zip.js must not spawn workers of its own. Its "custom"
// entry carries no inline worker and no WASM, so nothing is fetched at run time either; deflate is
// the platform's CompressionStream.
configure({ useWebWorkers: false, useCompressionStream: true });

/** CompressionStream's own level: any other makes zip.js look for its (absent) embedded codec. */
const DEFLATE_LEVEL = 6;

export interface RestoreToZipOptions {
  readonly keys: RestoreKeys;
  readonly fetchEnvelope: FetchEnvelope;
  readonly onFile?: (result: RestoredFile, index: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/**
 * Writes the entries as a zip into `output` and closes it. Per-file failures are results (see the
 * note above); a cancel or a failing output aborts `output` and rejects ('cancelled' on cancel).
 */
export async function restoreToZip(
  output: WritableStream<Uint8Array>,
  entries: readonly FileEntry[],
  options: RestoreToZipOptions,
): Promise<RestoredFile[]> {
  const { signal } = options;
  const out = output.getWriter();
  // A cancel must also end a write that is waiting on the output, not just the next read.
  const onAbort = (): void => void out.abort(new KuraError('cancelled')).catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  const zip = new ZipWriter(forwardingTo(out), { keepOrder: true, bufferedWrite: false, useWebWorkers: false });
  try {
    const results: RestoredFile[] = [];
    const names = new Set<string>();
    for (const [index, entry] of entries.entries()) {
      if (signal?.aborted) throw new KuraError('cancelled');
      const result = await addFile(zip, entry, names, options);
      results.push(result);
      options.onFile?.(result, index, entries.length);
    }
    const failed = results.filter((r) => r.status === 'failed');
    if (failed.length > 0) {
      await zip.add(freeName(REPORT_NAME, names), new TextReader(reportText(failed)), { level: DEFLATE_LEVEL });
    }
    if (signal?.aborted) throw new KuraError('cancelled');
    await zip.close();
    return results;
  } catch (e) {
    await out.abort(e).catch(() => undefined);
    throw signal?.aborted ? new KuraError('cancelled') : e;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

async function addFile(zip: ZipWriter<unknown>, entry: FileEntry, names: Set<string>, options: RestoreToZipOptions): Promise<RestoredFile> {
  // The manifest was checked when opened, but the selection comes from the caller: a '..' or a
  // repeated name would make an unsafe or ambiguous zip.
  if (!isSafeRelativePath(entry.path) || names.has(entry.path)) return { path: entry.path, status: 'failed', code: 'invalid-argument' };
  names.add(entry.path);
  const source = verifiedStream(entry, options);
  const date = new Date(entry.lastModified);
  try {
    await zip.add(entry.path, source.readable, {
      level: isAlreadyCompressed(entry) ? 0 : DEFLATE_LEVEL,
      uncompressedSize: entry.size, // lets zip.js choose Zip64 up front, and only when needed
      ...(Number.isNaN(date.getTime()) ? {} : { lastModDate: date }),
    });
    return { path: entry.path, status: 'restored' };
  } catch (e) {
    // Only a failure of this file's own data is this file's failure; a failing output or a
    // cancel ends the whole zip.
    if (source.failure() === undefined || options.signal?.aborted) throw e;
    const failure = source.failure();
    return { path: entry.path, status: 'failed', code: isKuraError(failure) ? failure.code : 'unknown' };
  }
}

/** The file's verified plaintext as a pull stream; it errors (never closes) if verification fails. */
function verifiedStream(entry: FileEntry, options: RestoreToZipOptions): { readable: ReadableStream<Uint8Array>; failure: () => unknown } {
  const pieces = openFile(entry, options.keys, options.fetchEnvelope);
  let failure: unknown;
  // Not awaited: after a cancel the generator may still be waiting on a fetch, and return() waits for it.
  const stop = (): void => void pieces.return(undefined).catch(() => undefined);
  const readable = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await untilAborted(pieces.next(), options.signal);
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (e) {
        failure = e ?? new Error('unknown');
        controller.error(e);
        stop();
      }
    },
    cancel: stop,
  });
  return { readable, failure: () => failure };
}

/** The promise, or 'cancelled' as soon as the signal fires: a chunk fetch may hang for long. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new KuraError('cancelled'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new KuraError('cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * zip.js writes into this rather than into the caller's stream, so that the caller's stream stays
 * ours to abort when zip.js is left mid-entry.
 */
function forwardingTo(out: WritableStreamDefaultWriter<Uint8Array>): WritableStream<Uint8Array> {
  return new WritableStream<Uint8Array>({
    write: (piece) => out.write(piece),
    close: () => out.close(),
    abort: (reason) => out.abort(reason),
  });
}

/** "KURA-RESTORE-REPORT.txt" unless a restored file has that name: then "… (1).txt", … */
function freeName(name: string, taken: ReadonlySet<string>): string {
  const dot = name.lastIndexOf('.');
  let candidate = name;
  for (let n = 1; taken.has(candidate); n++) candidate = `${name.slice(0, dot)} (${n})${name.slice(dot)}`;
  return candidate;
}
