/**
 * The user's own content index for the disclosure archive, decrypted here on the device (the
 * server holds it only sealed): every backup's file list, and every record set's kind and size.
 * Names, sizes and dates only: the archive says what is kept, it does not carry the content.
 */
import type { AccountKeys } from '../../core/crypto/subkeys.ts';
import { currentVersion } from '../../core/records/set.ts';
import type { ApiClient } from '../api/client.ts';
import { manifestOf, recordSetOf, snapshotList } from '../browse.ts';
import type { KuraDb } from '../db/database.ts';

export interface ContentIndex {
  readonly decryptedOnDevice: true;
  readonly backups: readonly {
    readonly snapshotId: string;
    readonly deviceId: string;
    readonly createdAt: number;
    readonly source: string;
    readonly files: readonly { readonly path: string; readonly size: number; readonly lastModified: number; readonly type: string }[];
  }[];
  readonly records: readonly {
    readonly snapshotId: string;
    readonly deviceId: string;
    readonly createdAt: number;
    readonly kind: string;
    readonly records: number;
    readonly deleted: number;
    readonly versions: number;
  }[];
}

export async function contentIndex(ctx: { readonly api: ApiClient; readonly db: KuraDb; readonly keys: Pick<AccountKeys, 'manifest' | 'records'> }): Promise<ContentIndex> {
  const { snapshots } = await snapshotList(ctx.api, ctx.db, ctx.keys);
  const backups: ContentIndex['backups'][number][] = [];
  const records: ContentIndex['records'][number][] = [];
  for (const s of [...snapshots].sort((a, b) => a.createdAt - b.createdAt || a.counter - b.counter)) {
    if (s.kind === 'files') {
      const m = await manifestOf(ctx.api, ctx.keys, s.id, undefined, ctx.db);
      backups.push({
        snapshotId: m.id,
        deviceId: m.deviceId,
        createdAt: m.createdAt,
        source: m.source,
        files: m.entries.map(({ path, size, lastModified, type }) => ({ path, size, lastModified, type })),
      });
    } else {
      const set = await recordSetOf(ctx.api, ctx.keys, s, ctx.db);
      const live = set.records.filter((r) => currentVersion(r).body).length;
      records.push({
        snapshotId: set.id,
        deviceId: set.deviceId,
        createdAt: set.createdAt,
        kind: set.kind,
        records: live,
        deleted: set.records.length - live,
        versions: set.records.reduce((n, r) => n + r.versions.length, 0),
      });
    }
  }
  return { decryptedOnDevice: true, backups, records };
}
