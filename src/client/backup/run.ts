/**
 * One backup run of one source (DESIGN.md sections 4-5): list the files, skip those whose path,
 * size and lastModified match the last run, stream each changed file through the core pipeline,
 * stage every new envelope as it is made (memory stays flat for any file size), then seal the
 * manifest and put the commit in the outbox, in one transaction with the source's new "last run".
 *
 * A run interrupted by a crash, a reload or a cancel resumes where it stopped: every few seconds
 * the files finished so far are sealed into the source's checkpoint (a sealed partial manifest, so
 * no file name rests in the clear); the next run takes those whose path, size and lastModified
 * still match instead of reading them again. Their chunks were staged before the checkpoint named
 * them (bytes, then the rows, then the checkpoint), so nothing it names can be missing.
 *
 * Per-file trouble (unreadable, vanished, changed twice while being read) is collected and
 * reported, never fatal and never silent. A full disk stops the run instead (quota-exceeded). A file that changed while being read is read once more.
 * Cancel with the AbortSignal; pause and resume with the gate. The manifest and everything staged
 * is ciphertext; no file name rests on the device in the clear.
 */
import type { Bytes } from '../../core/bytes.ts';
import { sealThumbParts } from '../../core/crypto/chunk.ts';
import type { AccountKeys } from '../../core/crypto/subkeys.ts';
import type { ChunkingParams } from '../../core/chunking/params.ts';
import { isKuraError, KuraError, type KuraErrorCode } from '../../core/errors.ts';
import type { ChunkId, DeviceId, SnapshotId } from '../../core/ids.ts';
import { sealSnapshot } from '../../core/manifest/seal.ts';
import { referencedChunks, type FileEntry } from '../../core/manifest/snapshot.ts';
import { sealFile } from '../../core/pipeline/backup.ts';
import type { KuraDb, SourceRow, StagedChunk } from '../db/database.ts';
import type { ChunkStaging } from '../staging/ports.ts';
import { sweepStaging } from '../staging/sweep.ts';
import { sha256Base64 } from '../api/client.ts';
import { clearCheckpoint, lastRun, openCheckpoint, runSnapshot, saveCheckpoint } from './run-state.ts';
import type { FileSource, SourceFile } from './source.ts';

export interface BackupProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly currentFile: string | undefined;
  /** Bytes per second since the run started reading. */
  readonly rate: number;
  readonly etaSeconds: number | undefined;
}

export interface FileFailure {
  readonly path: string;
  readonly code: KuraErrorCode | 'unknown';
  readonly message: string;
}

export interface BackupResult {
  /** Undefined when nothing changed since the last run: no snapshot is made. */
  readonly snapshotId: SnapshotId | undefined;
  readonly files: number;
  readonly unchanged: number;
  /** Files taken from the checkpoint of an interrupted earlier run, not read again. */
  readonly resumed: number;
  readonly newChunks: number;
  readonly bytesRead: number;
  readonly failures: readonly FileFailure[];
}

/** Pausing: the run waits at the next chunk while `paused` is true. */
export class PauseGate {
  private waiting: (() => void)[] = [];
  paused = false;
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    for (const wake of this.waiting.splice(0)) wake();
  }
  /** True while the run is held at the gate. */
  get holding(): boolean {
    return this.waiting.length > 0;
  }
  async pass(): Promise<void> {
    while (this.paused) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
}

export interface BackupRunOptions {
  readonly db: KuraDb;
  readonly staging: ChunkStaging;
  readonly keys: AccountKeys;
  readonly deviceId: DeviceId;
  readonly source: FileSource;
  readonly sourceName: string;
  /** 'folder' for a picked folder, 'files' for a picked set of files (default 'folder'). */
  readonly sourceKind?: SourceRow['kind'];
  /** How often finished files are sealed into the checkpoint: every 3 s or 200 files by default. */
  readonly checkpointEveryMs?: number;
  readonly checkpointEveryFiles?: number;
  readonly now?: () => number;
  readonly chunking?: ChunkingParams;
  readonly onProgress?: (progress: BackupProgress) => void;
  readonly signal?: AbortSignal;
  readonly gate?: PauseGate;
  /** Makes a small preview image of a file, or undefined (not an image, cannot decode). */
  readonly thumbnailer?: (file: SourceFile) => Promise<Bytes | undefined>;
}

/** The per-device snapshot counter (DESIGN.md section 3), shared by file backups and record sets. */
export const COUNTER_KEY = 'snapshot-counter';
const ROWS_PER_TRANSACTION = 256;
const BYTES_PER_TRANSACTION = 16 * 1024 * 1024;

export async function runBackup(options: BackupRunOptions): Promise<BackupResult> {
  const { db, staging, keys, source, signal, gate } = options;
  const now = options.now ?? Date.now;
  const failures: FileFailure[] = [];
  const fail = (path: string, e: unknown) => failures.push(describeFailure(path, e));

  const previous = await lastRun(options);
  const checkpoint = await openCheckpoint(options);
  const files: SourceFile[] = [];
  for await (const file of source.list((f) => fail(f.path, f.error))) files.push(file);

  const bytesTotal = files.reduce((n, f) => n + f.size, 0);
  const started = now();
  let bytesDone = 0;
  let bytesRead = 0;
  let filesDone = 0;
  let newChunks = 0;
  let unchanged = 0;
  let resumed = 0;
  let checkpointedAt = now();
  let sinceCheckpoint = 0;
  const report = (currentFile: string | undefined) => {
    const seconds = Math.max(0.001, (now() - started) / 1000);
    const rate = bytesDone / seconds;
    options.onProgress?.({
      filesDone,
      filesTotal: files.length,
      bytesDone,
      bytesTotal,
      currentFile,
      rate,
      etaSeconds: rate > 0 ? (bytesTotal - bytesDone) / rate : undefined,
    });
  };
  // Rows of staged chunks are written in batches: one strict (fsync'd) transaction per chunk cost
  // more than sealing it. Bytes are always flushed before their row; a row is always written
  // before a checkpoint or commit names its chunk. A crash loses only rows of chunks nothing names
  // yet: their bytes are swept, and the file is read again.
  const unrecorded = new Map<ChunkId, StagedChunk>();
  let unrecordedBytes = 0;
  const recordStaged = async () => {
    if (unrecorded.size === 0) return;
    await db.staged.bulkPut([...unrecorded.values()]);
    unrecorded.clear();
    unrecordedBytes = 0;
  };
  const known = async (id: ChunkId) => previous.chunks.has(id) || unrecorded.has(id) || (await db.staged.get(id)) !== undefined;

  const entries: FileEntry[] = [];
  for (const file of files) {
    if (signal?.aborted) throw new KuraError('cancelled');
    const before = previous.entries.get(file.path);
    if (before && before.size === file.size && before.lastModified === file.lastModified) {
      entries.push(before);
      unchanged++;
      bytesDone += file.size;
      filesDone++;
      continue;
    }
    const done = checkpoint.get(file.path);
    if (done && done.size === file.size && done.lastModified === file.lastModified) {
      entries.push(done);
      resumed++;
      bytesDone += file.size;
      filesDone++;
      continue;
    }
    report(file.path);
    try {
      const entry = await readFile(file, { ...options, known, onChunk: (staged, read) => ((newChunks += staged), (bytesDone += read), (bytesRead += read), report(file.path)) });
      entries.push(entry);
      sinceCheckpoint++;
      if (now() - checkpointedAt >= (options.checkpointEveryMs ?? 3_000) || sinceCheckpoint >= (options.checkpointEveryFiles ?? 200)) {
        await recordStaged();
        await saveCheckpoint(options, entries, now());
        checkpointedAt = now();
        sinceCheckpoint = 0;
      }
    } catch (e) {
      // A full disk is not this file's fault: the run stops (what it finished is in the checkpoint)
      // and is taken up again once there is room, instead of failing every file after this one.
      if (isKuraError(e, 'cancelled') || isKuraError(e, 'quota-exceeded')) {
        await recordStaged().catch(() => undefined);
        await saveCheckpoint(options, entries, now()).catch(() => undefined);
        throw e;
      }
      fail(file.path, e);
      // A read failure is not a deletion: the last good version stays in the new snapshot.
      if (before) entries.push(before);
    }
    filesDone++;
  }
  report(undefined);
  await recordStaged();

  // Reused entries are the last run's own objects, so identity says what changed.
  const changed = entries.length !== previous.entries.size || entries.some((e) => previous.entries.get(e.path) !== e);
  const snapshotId = changed ? await commitRun(options, entries.sort((a, b) => (a.path < b.path ? -1 : 1)), now()) : undefined;
  if (!changed) await clearCheckpoint(options);
  await sweepStaging(db, staging);
  return { snapshotId, files: entries.length, unchanged, resumed, newChunks, bytesRead, failures };

  async function readFile(
    file: SourceFile,
    o: BackupRunOptions & { known: (id: ChunkId) => Promise<boolean>; onChunk: (staged: number, read: number) => void },
  ): Promise<FileEntry> {
    for (let attempt = 0; ; attempt++) {
      const meta = { path: file.path, lastModified: file.lastModified, type: file.type, size: file.size };
      let entry: FileEntry | undefined;
      const stream = await file.open();
      for await (const item of sealFile(stream, keys, meta, { isKnown: o.known, ...(o.chunking ? { chunking: o.chunking } : {}) })) {
        if (signal?.aborted) throw new KuraError('cancelled');
        await gate?.pass();
        if (item.kind === 'file') entry = item.entry;
        else if (item.envelope) {
          await stageChunk(item.id, item.envelope);
          o.onChunk(1, item.plainSize);
        } else o.onChunk(0, item.plainSize);
      }
      const after = await file.stat();
      if (entry && after.size === file.size && after.lastModified === file.lastModified) return withThumbnail(file, entry);
      if (attempt >= 1) throw new KuraError('source-changed', { path: file.path });
    }
  }

  /** A thumbnail that fails is only a missing preview: the file itself is backed up. */
  async function withThumbnail(file: SourceFile, entry: FileEntry): Promise<FileEntry> {
    const image = await options.thumbnailer?.(file).catch(() => undefined);
    if (!image) return entry;
    const { id, parts } = await sealThumbParts(keys, image);
    if (!(await known(id))) {
      await stageChunk(id, parts);
      newChunks++;
    }
    return { ...entry, thumb: id };
  }

  async function stageChunk(id: ChunkId, parts: readonly Bytes[]): Promise<void> {
    await staging.put(id, parts); // bytes first, then the row that names them
    const size = parts.reduce((n, p) => n + p.length, 0);
    // Hashed now, while the parts are in memory: the upload then sends the staged file as it lies.
    unrecorded.set(id, { id, size, stagedAt: now(), uploaded: 0, sha256: await sha256Base64(parts) });
    unrecordedBytes += size;
    // Recorded often enough by bytes too, so the sync can send big files' chunks while this runs.
    if (unrecorded.size >= ROWS_PER_TRANSACTION || unrecordedBytes >= BYTES_PER_TRANSACTION) await recordStaged();
  }
}

/**
 * The commit, the source's new last run (its checkpoint dropped) and the counter, atomically. The
 * manifest is sealed before the transaction (IndexedDB ends a transaction that waits on WebCrypto);
 * if a record commit took the counter meanwhile, it is sealed again with the next one.
 */
async function commitRun(options: BackupRunOptions, entries: FileEntry[], createdAt: number): Promise<SnapshotId> {
  const { db } = options;
  const nextCounter = async () => (((await db.settings.get(COUNTER_KEY))?.value as number | undefined) ?? 0) + 1;
  for (;;) {
    const counter = await nextCounter();
    const snapshot = runSnapshot(options, entries, counter, createdAt);
    const sealed = await sealSnapshot(options.keys.manifest, snapshot);
    const done = await db.transaction('rw', db.outbox, db.sources, db.settings, async () => {
      if ((await nextCounter()) !== counter) return false;
      await db.outbox.add({ snapshotId: snapshot.id, kind: 'files', deviceId: options.deviceId, counter, refs: referencedChunks(snapshot), sealed, createdAt });
      await db.sources.put({ id: options.source.id, kind: options.sourceKind ?? 'folder', last: { snapshotId: snapshot.id, sealed } });
      await db.settings.put({ key: COUNTER_KEY, value: counter });
      return true;
    });
    if (done) return snapshot.id;
  }
}

function describeFailure(path: string, e: unknown): FileFailure {
  if (isKuraError(e)) return { path, code: e.code, message: e.message };
  const name = e instanceof Error ? e.name : '';
  const code: KuraErrorCode | 'unknown' = name === 'NotFoundError' || name === 'NotReadableError' || name === 'NotAllowedError' ? 'source-unreadable' : 'unknown';
  return { path, code, message: e instanceof Error ? e.message : String(e) };
}
