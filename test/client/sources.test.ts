/**
 * The dashboard's source list: names and figures from the sealed last run (a handle's own name
 * before any), "checked" moving on even when a run found nothing new, removal leaving no run state.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { beforeEach, describe, expect, test } from 'vitest';
import { newDeviceId, type DeviceId } from '../../src/core/ids.ts';
import { runBackup } from '../../src/client/backup/run.ts';
import { sourceFromFiles } from '../../src/client/backup/source.ts';
import { markChecked, removeSource, sourceSummaries } from '../../src/client/backup/sources.ts';
import type { StoredSource } from '../../src/client/backup/handles.ts';
import { KuraDb } from '../../src/client/db/database.ts';
import { MemoryStaging } from '../../src/client/staging/ports.ts';
import { newAccountKeys } from '../core/helpers.ts';
import { pickedFile as file } from './files.ts';

const keys = await newAccountKeys();
let db: KuraDb;
beforeEach(() => {
  db = new KuraDb(`kura-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
});

const folder = (sourceId: string, name: string, permission: PermissionState = 'granted') =>
  ({ kind: 'folder', handle: { name } as FileSystemDirectoryHandle, sourceId, permission }) as StoredSource;

describe('source summaries', () => {
  test('a source never backed up shows its handle name and no last backup; a backed-up one its sealed name and figures', async () => {
    await runBackup({ db, staging: new MemoryStaging(), keys, deviceId: newDeviceId() as DeviceId, source: sourceFromFiles('a', [file('x.txt', 'hello'), file('y/z.txt', 'world!!')]), sourceName: '写真' });
    const list = await sourceSummaries(db, keys, [folder('a', 'Pictures'), folder('b', 'Documents', 'prompt')]);
    expect(list.map((s) => [s.id, s.name, s.permission])).toEqual([
      ['b', 'Documents', 'prompt'],
      ['a', '写真', 'granted'],
    ]);
    expect(list[1]?.lastBackup).toMatchObject({ files: 2, bytes: 12 });
    expect(list[0]?.lastBackup).toBeUndefined();
  });

  test('a run that found nothing new still moves the last backup time on', async () => {
    await runBackup({ db, staging: new MemoryStaging(), keys, deviceId: newDeviceId() as DeviceId, source: sourceFromFiles('a', [file('x.txt', 'hello')]), sourceName: 'Home' });
    const [before] = await sourceSummaries(db, keys, [folder('a', 'Home')]);
    await markChecked(db, 'a', before!.lastBackup!.at + 60_000);
    const [after] = await sourceSummaries(db, keys, [folder('a', 'Home')]);
    expect(after!.lastBackup!.at - before!.lastBackup!.at).toBe(60_000);
  });

  test('a last run sealed under another account is shown as never backed up, not as an error', async () => {
    const other = await newAccountKeys();
    await runBackup({ db, staging: new MemoryStaging(), keys: other, deviceId: newDeviceId() as DeviceId, source: sourceFromFiles('a', [file('x.txt', 'hi')]), sourceName: 'Theirs' });
    const [summary] = await sourceSummaries(db, keys, [folder('a', 'Mine')]);
    expect(summary).toMatchObject({ name: 'Mine' });
    expect(summary?.lastBackup).toBeUndefined();
  });

  test('removing a source forgets its handle and its run state', async () => {
    await runBackup({ db, staging: new MemoryStaging(), keys, deviceId: newDeviceId() as DeviceId, source: sourceFromFiles('a', [file('x.txt', 'hello')]), sourceName: 'Home' });
    await markChecked(db, 'a');
    const forgotten: string[] = [];
    await removeSource(db, 'a', async (id) => void forgotten.push(id));
    expect(forgotten).toEqual(['a']);
    expect(await db.sources.get('a')).toBeUndefined();
    expect(await db.settings.get('source-checked:a')).toBeUndefined();
  });
});
