/**
 * The same records committed again before their batch was uploaded (a contact imported, deleted,
 * and imported again, all offline) seal to the same batch id with other bytes (a fresh IV). The
 * staged envelope must stay the one its row's digest describes, or the upload is refused.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { utf8 } from '../../src/core/bytes.ts';
import { newDeviceId } from '../../src/core/ids.ts';
import { createAccount } from '../../src/client/account/flows.ts';
import { ApiClient } from '../../src/client/api/client.ts';
import { KuraDb } from '../../src/client/db/database.ts';
import { RecordsService } from '../../src/client/records/service.ts';
import { MemoryStaging } from '../../src/client/staging/ports.ts';
import { SyncEngine } from '../../src/client/sync/engine.ts';
import { fakeArgon2 } from '../core/helpers.ts';
import { startServer, type TestServer } from '../server/harness.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

test('a batch staged twice keeps its first envelope, and the sync uploads it', async () => {
  const email = `restage-${Math.random().toString(36).slice(2)}@example.com`;
  const { account } = await createAccount(new ApiClient({ origin: server.origin }), { email, passphrase: 'pw', device: { id: newDeviceId(), name: 'Laptop', model: '' }, argon2: fakeArgon2 });
  const db = new KuraDb(`restage-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  const staging = new MemoryStaging();
  const api = new ApiClient({ origin: server.origin, token: account.token, retry: { retries: 0, sleep: async () => undefined } });
  let clock = Date.UTC(2026, 10, 1);
  const records = new RecordsService(() => ({ db, staging, api, keys: account.keys, deviceId: account.deviceId }), () => (clock += 60_000));
  const card = utf8('BEGIN:VCARD\r\nVERSION:3.0\r\nUID:hana-1\r\nFN:Hana\r\nTEL:090-1111-2222\r\nEND:VCARD\r\n');
  const importCard = async () => records.commit((await records.preview(card, 'hana.vcf')).id);

  await importCard();
  const [first] = await db.staged.toArray();
  const bytes = await staging.get(first!.id);
  await records.delete('contacts', ['hana-1']);
  expect(await importCard()).toEqual({ added: 1, changed: 0 });
  expect((await db.staged.toArray()).map((r) => [r.id, r.sha256])).toEqual([[first!.id, first!.sha256]]);
  expect(await staging.get(first!.id)).toEqual(bytes);

  expect(await new SyncEngine({ db, staging, api }).run()).toEqual({ kind: 'in-sync' });
  expect((await records.list('contacts')).records.map((c) => c.uid)).toEqual(['hana-1']);
  db.close();
});
