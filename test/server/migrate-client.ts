/**
 * The browser's sync engine in Node (ApiClient + SyncEngine over fake-indexeddb), as in
 * test/client/sync.test.ts, for the migration tests: back up on the embedded server, sign in to
 * the migrated one, back up more, restore all.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { fromBase64Url } from '../../src/core/bytes.ts';
import type { AccountKeys } from '../../src/core/crypto/subkeys.ts';
import { newDeviceId, newSnapshotId, type DeviceId } from '../../src/core/ids.ts';
import { openSnapshot, sealSnapshot } from '../../src/core/manifest/seal.ts';
import { referencedChunks, type FileEntry, type Snapshot } from '../../src/core/manifest/snapshot.ts';
import { sealFile } from '../../src/core/pipeline/backup.ts';
import { openFile } from '../../src/core/pipeline/restore.ts';
import { ApiClient } from '../../src/client/api/client.ts';
import { KuraDb } from '../../src/client/db/database.ts';
import { MemoryStaging } from '../../src/client/staging/ports.ts';
import { SyncEngine } from '../../src/client/sync/engine.ts';
import { enqueueCommit, type NewChunk } from '../../src/client/sync/outbox.ts';
import { collect } from '../core/helpers.ts';

const SMALL = { minSize: 4096, avgSize: 16384, maxSize: 65536 };

export interface ClientDevice {
  readonly api: ApiClient;
  readonly db: KuraDb;
  readonly staging: MemoryStaging;
  readonly deviceId: DeviceId;
  counter: number;
  sync(): Promise<unknown>;
}

export function clientDevice(origin: string, token: string, deviceId: DeviceId): ClientDevice {
  const api = new ApiClient({ origin, token, retry: { retries: 1, sleep: async () => undefined } });
  const db = new KuraDb(`kura-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  const staging = new MemoryStaging();
  return { api, db, staging, deviceId, counter: 0, sync: () => new SyncEngine({ db, staging, api }).run() };
}

/** Signs in with the passphrase's authKey as a new device. */
export async function signIn(origin: string, email: string, authKey: string): Promise<ClientDevice> {
  const deviceId = newDeviceId();
  const { token } = await new ApiClient({ origin }).createSession({ email, authKey, device: { id: deviceId, name: 'New laptop', model: 'Test' } });
  return clientDevice(origin, token, deviceId);
}

/** Seals `files` into a snapshot and puts it into the outbox (a backup run). */
export async function backUp(device: ClientDevice, keys: AccountKeys, files: Record<string, Uint8Array>): Promise<Snapshot> {
  const entries: FileEntry[] = [];
  const chunks: NewChunk[] = [];
  for (const [path, data] of Object.entries(files)) {
    for await (const item of sealFile([data], keys, { path, lastModified: 0, type: '' }, { chunking: SMALL })) {
      if (item.kind === 'chunk' && item.envelope) chunks.push({ id: item.id, parts: item.envelope });
      if (item.kind === 'file') entries.push(item.entry);
    }
  }
  const counter = ++device.counter;
  const snapshot: Snapshot = { format: 'kura-snapshot', v: 1, id: newSnapshotId(), kind: 'files', deviceId: device.deviceId, counter, createdAt: Date.now(), source: 'Documents', entries };
  const sealed = await sealSnapshot(keys.manifest, snapshot);
  const commit = { snapshotId: snapshot.id, kind: 'files' as const, deviceId: device.deviceId, counter, refs: referencedChunks(snapshot), sealed, createdAt: counter };
  await enqueueCommit(device.db, device.staging, commit, chunks, Date.now());
  return snapshot;
}

/** Every file of a snapshot, from the server alone. */
export async function restore(device: ClientDevice, keys: AccountKeys, snapshot: Snapshot): Promise<Record<string, Uint8Array>> {
  const stored = await device.api.snapshot(snapshot.id);
  const manifest = await openSnapshot(keys.manifest, fromBase64Url(stored.sealed)!, { id: snapshot.id });
  const out: Record<string, Uint8Array> = {};
  for (const entry of manifest.entries) out[entry.path] = Buffer.concat(await collect(openFile(entry, keys, (id) => device.api.getChunk(id))));
  return out;
}
