/**
 * What a backup run reads: a source lists its files (metadata only) and opens each as a stream.
 * Adapters: picked File objects (the `<input type=file webkitdirectory>` fallback, below), and
 * File System Access directory handles (folder.ts, browser only).
 */
export interface SourceFile {
  /** Relative path inside the source, '/'-separated. */
  readonly path: string;
  readonly size: number;
  readonly lastModified: number;
  readonly type: string;
  /** Opens the bytes as a stream; never read whole into memory. */
  open(): Promise<ReadableStream<Uint8Array>>;
  /**
   * The bytes as a Blob (a File: a lazy handle onto the disk, read only by the slices asked for),
   * for readers that seek, such as a video demuxer reading its index. Absent where the source can
   * only stream.
   */
  blob?(): Promise<Blob>;
  /** Size and time now, to detect a file that changed while it was read. */
  stat(): Promise<{ size: number; lastModified: number }>;
}

export interface ListFailure {
  readonly path: string;
  readonly error: unknown;
}

export interface FileSource {
  readonly id: string;
  /** Every file, skipping system files; entries that cannot be listed are reported, not fatal. */
  list(onFailure: (failure: ListFailure) => void): AsyncIterable<SourceFile>;
}

const SYSTEM_NAMES = new Set(['.ds_store', 'thumbs.db', 'desktop.ini', 'ehthumbs.db', '.localized', 'icon\r']);
const SYSTEM_FOLDERS = new Set(['.spotlight-v100', '.trashes', '.fseventsd', '.temporaryitems', '$recycle.bin', 'system volume information', '.kura-restore-tmp']);

/** Operating-system clutter that no one wants back: Finder and Explorer metadata, trash folders. */
export function isSystemPath(path: string): boolean {
  const segments = path.toLowerCase().split('/');
  const name = segments.at(-1) ?? '';
  return SYSTEM_NAMES.has(name) || name.startsWith('._') || segments.slice(0, -1).some((s) => SYSTEM_FOLDERS.has(s));
}

/**
 * A source over File objects, as `<input type=file multiple webkitdirectory>` gives them. A File
 * is a snapshot of the file at pick time: Chromium fails the read (NotReadableError) if the file
 * changed since, which the run reports.
 */
export function sourceFromFiles(id: string, files: Iterable<File>): FileSource {
  return {
    id,
    async *list() {
      for (const file of files) {
        const path = (file.webkitRelativePath || file.name).replace(/^\/+/, '');
        if (isSystemPath(path)) continue;
        yield {
          path,
          size: file.size,
          lastModified: file.lastModified,
          type: file.type,
          open: async () => file.stream() as ReadableStream<Uint8Array>,
          blob: async () => file,
          stat: async () => ({ size: file.size, lastModified: file.lastModified }),
        };
      }
    },
  };
}
