/**
 * Signing out on this device, with the user's choice of what happens to what is still here:
 *
 * - keep: the keys go (the app is locked and signed out) but unsent backups stay staged, as
 *   ciphertext, and go up when the same account signs in again. They are marked as held for that
 *   account, so another account signing in on this device can never upload them by mistake
 *   (keepAccount refuses until they are sent or erased).
 * - erase: everything Kura keeps on the device goes too: the outbox and every staged envelope,
 *   the sources with their sealed last runs and checkpoints, the cached snapshot list, the
 *   picked-folder handles. The device's own identity stays (it belongs to the install).
 *
 * The server session is revoked when the server can be reached; offline, the forgotten token simply
 * expires there. Either way nothing on the device can use it again.
 */
import { isKuraError } from '../../core/errors.ts';
import type { ApiClient } from '../api/client.ts';
import type { KuraDb } from '../db/database.ts';
import type { ChunkStaging } from '../staging/ports.ts';
import { forgetAccount, HELD_FOR, storedAccount } from './device.ts';

const KEPT_ON_ERASE = new Set(['device']);

export interface SignOutOptions {
  readonly erase: boolean;
  readonly api?: ApiClient;
  /** Clears the picked-folder handles (idb-keyval in the browser). */
  readonly forgetPicks?: () => Promise<void>;
}

export interface SignOutResult {
  /** Commits that were not sent yet: kept for the account, or erased. */
  readonly unsentCommits: number;
  readonly sessionRevoked: boolean;
}

/** What the sign-out dialog tells the user before they choose. */
export async function unsentBackups(db: KuraDb): Promise<{ commits: number; bytes: number }> {
  let bytes = 0;
  await db.staged.where('uploaded').equals(0).each((s) => void (bytes += s.size));
  return { commits: await db.outbox.count(), bytes };
}

export async function signOut(db: KuraDb, staging: ChunkStaging, options: SignOutOptions): Promise<SignOutResult> {
  const account = await storedAccount(db);
  const unsentCommits = await db.outbox.count();
  let sessionRevoked = false;
  if (options.api?.token) {
    try {
      await options.api.signOut();
      sessionRevoked = true;
    } catch (e) {
      // Offline, or the session was already gone: the token is forgotten here all the same.
      if (!isKuraError(e)) throw e;
    }
    options.api.token = undefined;
  }
  if (options.erase) {
    await eraseLocalData(db, staging);
    await options.forgetPicks?.();
  } else if (account && unsentCommits > 0) {
    await db.settings.put({ key: HELD_FOR, value: account.accountId });
  }
  await forgetAccount(db);
  return { unsentCommits, sessionRevoked };
}

/** Everything but the device's identity, staged bytes included. */
export async function eraseLocalData(db: KuraDb, staging: ChunkStaging): Promise<void> {
  const staged = await db.staged.toCollection().primaryKeys();
  await db.transaction('rw', [db.outbox, db.staged, db.sources, db.snapshots, db.recordBatches, db.settings], async () => {
    await Promise.all([db.outbox.clear(), db.staged.clear(), db.sources.clear(), db.snapshots.clear(), db.recordBatches.clear()]);
    const keys = (await db.settings.toCollection().primaryKeys()).filter((key) => !KEPT_ON_ERASE.has(key));
    await db.settings.bulkDelete(keys);
  });
  // Rows first: a crash in between leaves staged bytes no row names, which the next sweep frees.
  if (staging.sweep) await staging.sweep(() => false);
  else for (const id of staged) await staging.delete(id);
}
