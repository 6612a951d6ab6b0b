/**
 * Records end to end in Node, against the real server: two devices of one account import, merge,
 * delete, restore and export through the records service, syncing with the real sync engine.
 * Imports the same file twice (nothing changes), an edited export (exactly the edited records
 * change), a deletion on one device seen on the other, history restored, offline reading.
 */
import { readFileSync } from 'node:fs';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { utf8 } from '../../src/core/bytes.ts';
import { newDeviceId } from '../../src/core/ids.ts';
import { parseCalendar, parseCallLog, parseContacts, type Contact } from '../../src/core/records/index.ts';
import { recordKey, type RecordKind } from '../../src/core/records/kinds.ts';
import { createAccount, signIn } from '../../src/client/account/flows.ts';
import { ApiClient } from '../../src/client/api/client.ts';
import { KuraDb } from '../../src/client/db/database.ts';
import { RecordsService } from '../../src/client/records/service.ts';
import { MemoryStaging } from '../../src/client/staging/ports.ts';
import { SyncEngine } from '../../src/client/sync/engine.ts';
import { codeOf, fakeArgon2 } from '../core/helpers.ts';
import { startServer, type TestServer } from '../server/harness.ts';

const fixture = (path: string) => new Uint8Array(readFileSync(new URL(`../fixtures/records/${path}`, import.meta.url)));

let server: TestServer;
let clock = Date.UTC(2026, 10, 1);
const now = () => clock;

interface Device {
  readonly records: RecordsService;
  readonly db: KuraDb;
  readonly api: ApiClient;
  sync(): Promise<void>;
  offline: boolean;
}

function device(account: Awaited<ReturnType<typeof signIn>>): Device {
  const db = new KuraDb(`records-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  const staging = new MemoryStaging();
  const d: Device = {
    db,
    offline: false,
    api: new ApiClient({
      origin: server.origin,
      token: account.token,
      retry: { retries: 0, sleep: async () => undefined },
      fetch: (input, init) => (d.offline ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init)),
    }),
    records: new RecordsService(() => ({ db, staging, api: d.api, keys: account.keys, deviceId: account.deviceId }), now),
    async sync() {
      expect(await new SyncEngine({ db, staging, api: d.api }).run()).toEqual({ kind: 'in-sync' });
    },
  };
  return d;
}

let laptop: Device;
let phone: Device;

beforeAll(async () => {
  server = await startServer();
  const email = `records-${Math.random().toString(36).slice(2)}@example.com`;
  const created = await createAccount(new ApiClient({ origin: server.origin }), { email, passphrase: 'pw', device: { id: newDeviceId(), name: 'Laptop', model: '' }, argon2: fakeArgon2 });
  const second = await signIn(new ApiClient({ origin: server.origin }), { email, passphrase: 'pw', device: { id: newDeviceId(), name: 'Phone', model: '' }, argon2: fakeArgon2 });
  laptop = device(created.account);
  phone = device(second);
});
afterAll(() => server.close());

async function importFile(d: Device, bytes: Uint8Array, name: string, kind?: RecordKind) {
  clock += 60_000;
  const preview = await d.records.preview(bytes, name, { timeZone: 'Asia/Tokyo', ...(kind ? { kind } : {}) });
  return { preview, result: await d.records.commit(preview.id) };
}

const sortByKey = <T>(kind: RecordKind, records: T[]) => [...records].sort((a, b) => (recordKey(kind, a as never) < recordKey(kind, b as never) ? -1 : 1));

describe('records across two devices', () => {
  test('an import on one device is a records snapshot the other device reads back, field for field', async () => {
    const google = fixture('contacts/iphone-share-several.vcf');
    const { preview, result } = await importFile(laptop, google, 'google.vcf');
    const expected = parseContacts(google).records;
    expect(preview).toMatchObject({ kind: 'contacts', unchanged: 0, changed: [], errors: [] });
    expect(result).toEqual({ added: expected.length, changed: 0 });
    // Local first: visible on this device before anything is sent.
    laptop.offline = true;
    expect(sortByKey('contacts', (await laptop.records.list('contacts')).records)).toEqual(sortByKey('contacts', expected));
    laptop.offline = false;
    await laptop.sync();
    const listed = await laptop.api.snapshots();
    expect(listed.map((s) => s.kind)).toEqual(['records']);
    expect(sortByKey('contacts', (await phone.records.list('contacts')).records)).toEqual(sortByKey('contacts', expected));
    expect((await phone.records.list('calendar')).records).toEqual([]);
  });

  test('the same file again changes nothing: no new snapshot', async () => {
    const outbox = await laptop.db.outbox.count();
    const { preview, result } = await importFile(laptop, fixture('contacts/iphone-share-several.vcf'), 'google.vcf');
    expect(preview.added).toEqual([]);
    expect(preview.changed).toEqual([]);
    expect(result).toEqual({ added: 0, changed: 0 });
    expect(await laptop.db.outbox.count()).toBe(outbox);
  });

  test('an edited export changes exactly the edited record, and its earlier state can be restored', async () => {
    const original = parseContacts(fixture('contacts/iphone-share-several.vcf')).records;
    const target = original[0]!;
    // The phone number is part of a UID-less card's derived uid: the edit is matched by its name.
    const edited = original.map((c) => (c.uid === target.uid ? { ...c, note: 'moved to Osaka', phones: [{ value: '090-0000-0000', types: ['cell'] }] } : c));
    const { toVCard } = await import('../../src/core/records/index.ts');
    const { preview } = await importFile(phone, utf8(toVCard(edited, { version: '3.0' })), 'edited.vcf');
    expect(preview.added).toEqual([]);
    expect(preview.changed.map((c) => (c.after as Contact).uid)).toEqual([target.uid]);
    expect(preview.unchanged).toBe(original.length - 1);
    await phone.sync();

    const history = await laptop.records.history('contacts', target.uid);
    expect(history.map((v) => [v.current, (v.record as Contact | undefined)?.note, (v.record as Contact | undefined)?.uid])).toEqual([
      [false, target.note, target.uid],
      [true, 'moved to Osaka', target.uid],
    ]);
    clock += 60_000;
    await laptop.records.restore('contacts', target.uid, history[0]!.at);
    const restored = (await laptop.records.list('contacts')).records.find((c) => c.uid === target.uid);
    expect(restored).toEqual(target);
    await laptop.sync();
    expect((await phone.records.list('contacts')).records.find((c) => c.uid === target.uid)).toEqual(target);
  });

  test('a deletion on one device is a tombstone the other sees; its history stays and brings it back', async () => {
    const victim = parseContacts(fixture('contacts/iphone-share-several.vcf')).records[1]!;
    clock += 60_000;
    await phone.records.delete('contacts', [victim.uid]);
    await phone.sync();
    expect((await laptop.records.list('contacts')).records.map((c) => c.uid)).not.toContain(victim.uid);
    const history = await laptop.records.history('contacts', victim.uid);
    expect(history.at(-1)).toMatchObject({ deleted: true, current: true });
    const deleted = await laptop.records.deleted('contacts');
    expect(deleted).toEqual([{ key: victim.uid, record: victim, deletedAt: history.at(-1)!.at, restoreAt: history.at(-2)!.at }]);
    clock += 60_000;
    await laptop.records.restore('contacts', victim.uid, history[0]!.at);
    expect((await laptop.records.list('contacts')).records).toContainEqual(victim);
    expect(await laptop.records.deleted('contacts')).toEqual([]);
    expect(await codeOf(laptop.records.restore('contacts', 'no-such-uid', 1))).toBe('not-found');
  });

  test('a calendar and a call log import, list and export back to the same records', async () => {
    const ics = fixture('calendar/google-weekly-exdate.ics');
    await importFile(laptop, ics, 'work.ics');
    const xml = fixture('calls/sms-backup-restore.xml');
    await importFile(laptop, xml, 'calls.xml');
    await laptop.sync();
    const events = (await phone.records.list('calendar')).records;
    expect(sortByKey('calendar', events)).toEqual(sortByKey('calendar', parseCalendar(ics).records));
    const calls = (await phone.records.list('calls')).records;
    expect(sortByKey('calls', calls)).toEqual(sortByKey('calls', parseCallLog(xml, { timeZone: 'Asia/Tokyo' }).records));

    const ical = await phone.records.exportFile('calendar', 'all', 'icalendar', );
    expect(sortByKey('calendar', parseCalendar(ical.text).records)).toEqual(sortByKey('calendar', events));
    const csv = await phone.records.exportFile('calls', 'all', 'csv');
    expect(csv.fileName).toMatch(/^kura-calls-\d{4}-\d\d-\d\d\.csv$/);
    expect(sortByKey('calls', parseCallLog(csv.text).records)).toEqual(sortByKey('calls', calls));
    for (const format of ['vcard-3.0', 'vcard-4.0'] as const) {
      const vcf = await phone.records.exportFile('contacts', 'all', format);
      expect(sortByKey('contacts', parseContacts(vcf.text).records)).toEqual(sortByKey('contacts', (await phone.records.list('contacts')).records));
    }
    const one = await phone.records.exportFile('contacts', [calls.length ? (await phone.records.list('contacts')).records[0]!.uid : ''], 'vcard-4.0');
    expect(one.count).toBe(1);
    expect(await codeOf(phone.records.exportFile('calls', 'all', 'vcard-3.0'))).toBe('invalid-argument');
  });

  test('offline, what this device fetched before is still there, marked offline', async () => {
    const before = (await phone.records.list('calendar')).records;
    phone.offline = true;
    const list = await phone.records.list('calendar');
    phone.offline = false;
    expect(list.offline).toBe(true);
    expect(list.records).toEqual(before);
  });

  test('a file that is no export, or an empty one, is refused with a clear code; an expired preview too', async () => {
    expect(await codeOf(laptop.records.preview(utf8('hello'), 'notes.txt'))).toBe('records-unknown-format');
    expect(await codeOf(laptop.records.preview(new Uint8Array(), 'empty.vcf'))).toBe('records-empty');
    expect(await codeOf(laptop.records.commit('nope'))).toBe('records-import-expired');
    const preview = await laptop.records.preview(fixture('contacts/multiple-with-one-broken.vcf'), 'x.vcf');
    expect(preview.errors.length).toBeGreaterThan(0);
    laptop.records.discard(preview.id);
    expect(await codeOf(laptop.records.commit(preview.id))).toBe('records-import-expired');
  });
});
