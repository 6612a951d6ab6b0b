/**
 * Record sets already opened (decrypted and schema-checked), by snapshot id, for one open device
 * database. A sealed set never changes, so it is opened once while the database is open and
 * shared: by the rollback marks of the snapshot list (browse.ts), by the record views (state.ts),
 * and by the commit that sealed it, which needs no opening at all. Opening a 10,000-call set
 * costs about a quarter of a second; before this, a re-import after a sync paid it twice.
 *
 * Kept per database object, so the sets go when it does (locking or signing out drops it with the
 * keys), and two devices simulated in one process (tests, benchmarks) never share them.
 */
import type { SnapshotId } from '../../core/ids.ts';
import type { RecordSet } from '../../core/manifest/record-set.ts';
import type { KuraDb } from '../db/database.ts';

const byDb = new WeakMap<KuraDb, Map<SnapshotId, RecordSet>>();

export function openedRecordSet(db: KuraDb, id: SnapshotId): RecordSet | undefined {
  return byDb.get(db)?.get(id);
}

/** Kept under its own id: only a set opened from its seal, or sealed here, belongs here. */
export function rememberOpened(db: KuraDb, set: RecordSet): void {
  let sets = byDb.get(db);
  if (!sets) byDb.set(db, (sets = new Map()));
  sets.set(set.id, set);
}
