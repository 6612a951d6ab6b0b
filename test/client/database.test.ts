/** The device database's schema versions: a database made by an earlier version opens with its data. */
import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { expect, test } from 'vitest';
import { KuraDb } from '../../src/client/db/database.ts';

test('a version 1 database (before sources, the snapshot cache and record batches) opens as the current one, its rows intact', async () => {
  const indexedDB = new IDBFactory();
  const old = new Dexie('kura', { indexedDB, IDBKeyRange });
  old.version(1).stores({ staged: 'id, uploaded', outbox: 'snapshotId, createdAt', settings: 'key' });
  await old.table('staged').put({ id: 'c1', size: 10, stagedAt: 1, uploaded: 0 });
  await old.table('outbox').put({ snapshotId: 's1', createdAt: 5, counter: 1, refs: ['c1'] });
  await old.table('settings').put({ key: 'device', value: { id: 'd1' } });
  old.close();

  const db = new KuraDb('kura', { indexedDB, IDBKeyRange });
  await db.open();
  expect(db.verno).toBe(4);
  expect(await db.staged.where('uploaded').equals(0).primaryKeys()).toEqual(['c1']);
  expect((await db.outbox.orderBy('createdAt').first())?.snapshotId).toBe('s1');
  expect((await db.outbox.orderBy('counter').first())?.snapshotId).toBe('s1'); // indexed from version 4
  expect((await db.settings.get('device'))?.value).toEqual({ id: 'd1' });
  expect([await db.sources.count(), await db.snapshots.count(), await db.recordBatches.count()]).toEqual([0, 0, 0]);
  db.close();
});
