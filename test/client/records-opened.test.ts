/**
 * The opened record sets are kept per device database: a set one database opened (or sealed) is
 * not served to another, so a second device, or the same device after a lock reopened its
 * database, opens its sets from their seals again.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { expect, test } from 'vitest';
import { newDeviceId, newSnapshotId } from '../../src/core/ids.ts';
import { RECORD_SET_FORMAT, RECORD_SET_VERSION, type RecordSet } from '../../src/core/manifest/record-set.ts';
import { KuraDb } from '../../src/client/db/database.ts';
import { openedRecordSet, rememberOpened } from '../../src/client/records/opened.ts';

const db = () => new KuraDb(`opened-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });

test('a set remembered by one database is found there, and nowhere else', () => {
  const set: RecordSet = { format: RECORD_SET_FORMAT, v: RECORD_SET_VERSION, id: newSnapshotId(), kind: 'calls', deviceId: newDeviceId(), counter: 3, createdAt: 1, records: [] };
  const laptop = db();
  const reopened = db();
  expect(openedRecordSet(laptop, set.id)).toBeUndefined();
  rememberOpened(laptop, set);
  expect(openedRecordSet(laptop, set.id)).toBe(set);
  expect(openedRecordSet(reopened, set.id)).toBeUndefined();
  expect(openedRecordSet(laptop, newSnapshotId())).toBeUndefined();
});
