import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { newAccountId, newDeviceId, type ChunkId } from '../../../src/core/ids.ts';
import { FsObjectStore } from '../../../server/storage/fs-objects.ts';
import { SqliteMetaStore } from '../../../server/storage/sqlite-meta.ts';
import { account, metaStoreContract, objectStoreContract } from './contract.ts';

function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'kura-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

metaStoreContract('sqlite', () => {
  const { dir, cleanup } = tempDir();
  return { store: new SqliteMetaStore(join(dir, 'kura.sqlite')), cleanup };
});
objectStoreContract('file system', () => {
  const { dir, cleanup } = tempDir();
  return { store: new FsObjectStore(dir), cleanup };
});

describe('embedded stores, beyond the contract', () => {
  test('the SQLite store keeps its data across reopening, in WAL mode', async () => {
    const { dir, cleanup } = tempDir();
    const path = join(dir, 'kura.sqlite');
    const a = account();
    const deviceId = newDeviceId();
    const first = new SqliteMetaStore(path);
    const device = { id: deviceId, name: 'x', model: '', createdAt: 0, lastSeenAt: 0 };
    await first.createAccount(a, device, { tokenHash: new Uint8Array(32), accountId: a.id, deviceId, createdAt: 0, expiresAt: 1 });
    await first.close();
    const second = new SqliteMetaStore(path);
    expect((await second.getAccountByEmail(a.email))?.id).toBe(a.id);
    expect(await second.integrityCheck()).toBe('ok');
    await second.close();
    cleanup();
  });

  test('sweep removes temp files left by an interrupted write', async () => {
    const { dir, cleanup } = tempDir();
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    writeFileSync(join(dir, 'tmp', 'dead.part'), 'partial');
    const store = new FsObjectStore(dir);
    expect(await store.sweep()).toBe(1);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    const id = 'ab'.repeat(32) as ChunkId;
    const accountId = newAccountId();
    await store.put(accountId, id, new Uint8Array([1, 2, 3]));
    expect(readdirSync(join(dir, 'objects', accountId, 'ab'))).toEqual([id]);
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    cleanup();
  });
});
