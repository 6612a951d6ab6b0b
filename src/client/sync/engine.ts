/**
 * The sync engine: empties the outbox into the server, oldest commit first (DESIGN.md section 5).
 *
 * For each commit: ask which of its chunks the server lacks, upload those from staging (bounded
 * concurrency, each an idempotent PUT with its digest), then commit the sealed manifest. Only after
 * the server acknowledges the commit is the outbox row removed and are the chunks no other pending
 * commit needs freed from staging. Every step is safe to repeat, so a crash or reload anywhere just
 * means the next run asks again: chunks the server acknowledged are never sent twice (the missing
 * query says so even if the local "uploaded" flag was lost), and a commit whose acknowledgement was
 * lost answers snapshot-exists, which is success.
 *
 * How a run ends decides the state the user sees: in-sync; offline or waiting (the network or the
 * server failed; the caller's scheduler retries later); or error, for what needs the user (signed
 * out, quota full, ...), with nothing staged lost.
 */
import { isKuraError, KuraError, type KuraErrorCode } from '../../core/errors.ts';
import { toBase64Url, type Bytes } from '../../core/bytes.ts';
import type { ChunkId } from '../../core/ids.ts';
import type { SnapshotSummary } from '../../core/protocol.ts';
import type { ApiClient, PreparedBody } from '../api/client.ts';
import { isRetryable } from '../api/retry.ts';
import type { KuraDb, OutboxCommit } from '../db/database.ts';
import type { ChunkStaging } from '../staging/ports.ts';
import { unreferencedStaged } from './outbox.ts';

export type SyncState =
  | { readonly kind: 'in-sync' }
  | {
      /** Counts and bytes are over the whole outbox as this run found it, not one commit. */
      readonly kind: 'uploading';
      readonly commitsLeft: number;
      readonly chunksDone: number;
      readonly chunksTotal: number;
      readonly bytesDone: number;
      readonly bytesTotal: number;
      /** Bytes per second since this run started uploading. */
      readonly rate: number;
      readonly etaSeconds: number | undefined;
    }
  | { readonly kind: 'offline' }
  | { readonly kind: 'waiting'; readonly code: KuraErrorCode }
  | { readonly kind: 'error'; readonly code: KuraErrorCode };

export interface SyncEngineOptions {
  readonly db: KuraDb;
  readonly staging: ChunkStaging;
  readonly api: ApiClient;
  /** Uploads in flight at once (default 4). */
  readonly concurrency?: number;
  readonly onState?: (state: SyncState) => void;
  readonly now?: () => number;
}

/** What this run has to send and has sent, over the whole outbox. */
interface Tally {
  chunksTotal: number;
  bytesTotal: number;
  chunksDone: number;
  bytesDone: number;
  readonly started: number;
}

/** A commit is re-tried this many times when chunks vanish between the missing query and it. */
const MISSING_ROUNDS = 3;
/** Chunk ids asked about at once when sending ahead of a commit. */
const AHEAD_BATCH = 1000;

export class SyncEngine {
  private running: Promise<SyncState> | undefined;

  constructor(private readonly options: SyncEngineOptions) {}

  /**
   * Runs until the outbox is empty or something stops it; concurrent calls share one run. Across
   * tabs (each with its own engine over the same database) a Web Lock lets one drain at a time:
   * two at once would both find a chunk missing and send it twice.
   */
  run(): Promise<SyncState> {
    this.running ??= exclusive(`kura-sync:${this.options.db.name}`, () => this.drain()).finally(() => (this.running = undefined));
    return this.running;
  }

  private emit(state: SyncState): SyncState {
    this.options.onState?.(state);
    return state;
  }

  private async drain(): Promise<SyncState> {
    const { db } = this.options;
    try {
      const tally: Tally = { chunksTotal: 0, bytesTotal: 0, chunksDone: 0, bytesDone: 0, started: this.now() };
      await db.staged.where('uploaded').equals(0).each((s) => void (tally.chunksTotal++, (tally.bytesTotal += s.size)));
      for (;;) {
        const next = await db.outbox.orderBy('counter').first(); // the server takes a device's counters in order
        if (next) await this.push(next, await db.outbox.count(), tally);
        else if (!(await this.sendAhead(tally))) return this.emit({ kind: 'in-sync' });
      }
    } catch (e) {
      if (!isKuraError(e)) throw e;
      if (e.code === 'network-unavailable') return this.emit({ kind: 'offline' });
      if (isRetryable(e)) return this.emit({ kind: 'waiting', code: e.code });
      return this.emit({ kind: 'error', code: e.code });
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private async push(commit: OutboxCommit, commitsLeft: number, tally: Tally): Promise<void> {
    const { api, db, staging } = this.options;
    const refs = [...new Set(commit.refs)];
    let committed: SnapshotSummary | undefined;
    for (let round = 0; ; round++) {
      const missing = await api.missingChunks(refs);
      await this.alreadyThere(refs, missing, tally);
      await this.upload(missing, commitsLeft, tally);
      try {
        committed = await api.commitSnapshot({
          id: commit.snapshotId,
          kind: commit.kind,
          deviceId: commit.deviceId,
          counter: commit.counter,
          refs,
          sealed: toBase64Url(commit.sealed),
        });
      } catch (e) {
        if (isKuraError(e, 'missing-chunks') && round < MISSING_ROUNDS) continue; // collected meanwhile: upload again
        if (!isKuraError(e, 'snapshot-exists')) throw e; // exists: committed by an earlier run whose answer was lost
      }
      break;
    }
    // Listed on this device at once, manifest included: one's own backups browse offline from here.
    await db.transaction('rw', db.outbox, db.snapshots, async () => {
      await db.outbox.delete(commit.snapshotId);
      if (committed) await db.snapshots.put({ ...committed, sealed: commit.sealed });
    });
    const free = await unreferencedStaged(db, refs);
    for (const id of free) await staging.delete(id);
    await db.staged.bulkDelete(free);
  }

  /** What to send for a staged chunk: the staged file and its digest as staged, else its bytes. */
  private async body(id: ChunkId, sha256: string | undefined): Promise<PreparedBody | Bytes | undefined> {
    const { staging } = this.options;
    const file = sha256 && staging.blob ? await staging.blob(id) : undefined;
    return file && sha256 ? { body: file, sha256 } : staging.get(id);
  }

  /**
   * With the outbox empty, sends what a backup run still in progress has staged, so the upload
   * runs beside the reading and its commit finds the chunks already there. (The server keeps
   * unreferenced chunks for a grace period; if it collected them, the commit's missing query sends
   * them again from staging, which still holds them.) False when there was nothing to send.
   */
  private async sendAhead(tally: Tally): Promise<boolean> {
    const { api, db } = this.options;
    const waiting = await db.staged.where('uploaded').equals(0).toArray();
    if (waiting.length === 0) return false;
    // A run in progress keeps staging: the totals are what is left now plus what was sent.
    tally.chunksTotal = tally.chunksDone + waiting.length;
    tally.bytesTotal = tally.bytesDone + waiting.reduce((n, s) => n + s.size, 0);
    const sentBefore = tally.chunksDone;
    let moved = 0;
    for (let at = 0; at < waiting.length; at += AHEAD_BATCH) {
      const batch = waiting.slice(at, at + AHEAD_BATCH).map((s) => s.id);
      const missing = await api.missingChunks(batch);
      moved += await this.alreadyThere(batch, missing, tally);
      await this.upload(missing, 0, tally, true);
    }
    // Rows staged meanwhile go on the next round; a round that moved nothing ends the run.
    return moved + tally.chunksDone - sentBefore > 0;
  }

  /**
   * Staged chunks the server already holds (sent by another device, or by a run whose record of it
   * was lost) are marked sent and leave the totals: they will not be uploaded.
   */
  private async alreadyThere(refs: readonly ChunkId[], missing: readonly ChunkId[], tally: Tally): Promise<number> {
    const { db } = this.options;
    const lacking = new Set(missing);
    const held = (await db.staged.bulkGet(refs.filter((id) => !lacking.has(id)))).filter((s) => s?.uploaded === 0);
    if (held.length === 0) return 0;
    await db.staged.bulkUpdate(held.map((s) => ({ key: s!.id, changes: { uploaded: 1 as const } })));
    tally.chunksTotal -= held.length;
    tally.bytesTotal -= held.reduce((n, s) => n + s!.size, 0);
    return held.length;
  }

  private async upload(missing: readonly ChunkId[], commitsLeft: number, tally: Tally, ahead = false): Promise<void> {
    const { api, db } = this.options;
    const progress = () => {
      const seconds = Math.max(0.001, (this.now() - tally.started) / 1000);
      const rate = tally.bytesDone / seconds;
      const { chunksDone, bytesDone } = tally;
      // A chunk staged as sent but missing on the server (collected there) is sent again: count it.
      const chunksTotal = Math.max(tally.chunksTotal, chunksDone);
      const bytesTotal = Math.max(tally.bytesTotal, bytesDone);
      const etaSeconds = rate > 0 ? (bytesTotal - bytesDone) / rate : undefined;
      this.emit({ kind: 'uploading', commitsLeft, chunksDone, chunksTotal, bytesDone, bytesTotal, rate, etaSeconds });
    };
    progress();
    let next = 0;
    let failed = false;
    // "Sent" flags are written in batches, not one transaction per chunk: a flag lost in a crash
    // only means the next run's missing query finds the chunk on the server (alreadyThere).
    const sent: ChunkId[] = [];
    const recordSent = async () => {
      const ids = sent.splice(0);
      if (ids.length > 0) await db.staged.bulkUpdate(ids.map((key) => ({ key, changes: { uploaded: 1 as const } })));
    };
    const rows = new Map((await db.staged.bulkGet([...missing])).flatMap((row) => (row ? [[row.id, row] as const] : [])));
    const worker = async (): Promise<void> => {
      while (next < missing.length && !failed) {
        const id = missing[next++]!;
        const body = await this.body(id, rows.get(id)?.sha256);
        if (!body && ahead) continue; // swept meanwhile: no commit names it
        // Freed or never staged while the server still lacks it: the backup run must be redone.
        if (!body) throw new KuraError('missing-chunks', { missing: [id], local: true });
        try {
          await api.putChunk(id, body);
        } catch (e) {
          failed = true; // the other workers stop taking new chunks
          throw e;
        }
        sent.push(id);
        if (sent.length >= 64) await recordSent();
        tally.chunksDone++;
        tally.bytesDone += 'body' in body ? body.body.size : body.length;
        progress();
      }
    };
    // Every worker is let finish its request before the run ends, so what the server acknowledged
    // is recorded and no upload is left running behind the state the user sees.
    const outcomes = await Promise.allSettled(Array.from({ length: Math.min(this.options.concurrency ?? 4, missing.length) }, worker));
    await recordSent();
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
  }
}

/** Runs `work` holding the named Web Lock where the platform has them (browsers, workers). */
function exclusive<T>(name: string, work: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as { locks?: LockManager } | undefined)?.locks;
  return locks ? (locks.request(name, work) as Promise<T>) : work();
}
