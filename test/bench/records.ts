/**
 * Records at phone scale, in Node against the in-process server: a 10,000-call log and 2,000
 * contacts are imported (preview, commit, sync) on one device and listed cold on a second. Reported
 * beside the parse time of the same file in the same run, so the ratios say what the record set
 * (merge, seal, batches, upload) costs on top of reading the export.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { utf8 } from '../../src/core/bytes.ts';
import { newDeviceId } from '../../src/core/ids.ts';
import { parseCallLog, parseContacts, toCallLogCsv, toVCard, type Call, type Contact } from '../../src/core/records/index.ts';
import type { RecordKind } from '../../src/core/records/kinds.ts';
import { createAccount, signIn, type UnlockedAccount } from '../../src/client/account/flows.ts';
import { ApiClient } from '../../src/client/api/client.ts';
import { KuraDb } from '../../src/client/db/database.ts';
import { RecordsService } from '../../src/client/records/service.ts';
import { MemoryStaging } from '../../src/client/staging/ports.ts';
import { SyncEngine } from '../../src/client/sync/engine.ts';
import { startServer } from '../server/harness.ts';
import { fakeArgon2 as fastArgon2 } from '../core/helpers.ts';

function calls(n: number): Uint8Array {
  const types = ['incoming', 'outgoing', 'missed'] as const;
  const list: Call[] = Array.from({ length: n }, (_, i) => {
    const number = `090${String(10_000_000 + ((i * 7919) % 9_000_000)).padStart(8, '0')}`;
    return { uid: `c${i}`, number, normalized: number, name: i % 3 ? `山田 ${i % 97}` : undefined, type: types[i % 3]!, start: Date.UTC(2026, 0, 1) + i * 3_600_000, durationSeconds: (i * 37) % 900 } as Call;
  });
  return utf8(toCallLogCsv(list));
}

function contacts(n: number): Uint8Array {
  const list: Contact[] = Array.from({ length: n }, (_, i) => ({
    uid: `uid-${i}`,
    formattedName: `佐藤 ${i}`,
    name: { family: '佐藤', given: String(i), additional: '', prefix: '', suffix: '' },
    reading: { family: 'さとう', given: `${i}` },
    phones: [{ value: `080-${String(i).padStart(4, '0')}-0000`, types: ['cell'] }],
    emails: [{ value: `user${i}@example.jp`, types: ['home'] }],
    addresses: [],
    urls: [],
    categories: [],
    note: 'メモ '.repeat(i % 20),
  }));
  return utf8(toVCard(list, { version: '3.0' }));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time<T>(run: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await run();
  return [value, performance.now() - start];
}

function device(origin: string, account: UnlockedAccount, now: () => number) {
  const db = new KuraDb(`bench-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  const staging = new MemoryStaging();
  const api = new ApiClient({ origin, token: account.token });
  return { db, staging, api, records: new RecordsService(() => ({ db, staging, api, keys: account.keys, deviceId: account.deviceId }), now), sync: () => new SyncEngine({ db, staging, api }).run() };
}

export async function recordsBench(rounds: number): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = {};
  const add = (name: string, ms: number) => (samples[name] ??= []).push(ms);
  const files: [RecordKind, string, Uint8Array, (b: Uint8Array) => unknown][] = [
    ['calls', 'calls_10k', calls(10_000), (b) => parseCallLog(b)],
    ['contacts', 'contacts_2k', contacts(2_000), (b) => parseContacts(b)],
  ];
  let batches = 0;
  for (let round = 0; round < rounds; round++) {
    const server = await startServer();
    try {
      let clock = Date.UTC(2026, 10, 1);
      const now = () => (clock += 1000);
      const email = `bench-${Math.random()}@example.com`;
      const created = await createAccount(new ApiClient({ origin: server.origin }), { email, passphrase: 'p', device: { id: newDeviceId(), name: 'A', model: '' }, argon2: fastArgon2 });
      const other = await signIn(new ApiClient({ origin: server.origin }), { email, passphrase: 'p', device: { id: newDeviceId(), name: 'B', model: '' }, argon2: fastArgon2 });
      const a = device(server.origin, created.account, now);
      const b = device(server.origin, other, now);
      for (const [kind, name, bytes, parse] of files) {
        add(`${name}_parse`, (await time(async () => parse(bytes)))[1]);
        const [preview, previewMs] = await time(() => a.records.preview(bytes, name, { kind }));
        add(`${name}_preview`, previewMs);
        add(`${name}_commit`, (await time(() => a.records.commit(preview.id)))[1]);
        add(`${name}_sync`, (await time(() => a.sync()))[1]);
        add(`${name}_list_cold`, (await time(() => b.records.list(kind)))[1]);
        const [again, reimportMs] = await time(() => a.records.preview(bytes, name, { kind }));
        if (again.added.length + again.changed.length !== 0) throw new Error('a re-import changed records');
        add(`${name}_reimport_preview`, reimportMs);
      }
      batches = await a.db.recordBatches.count();
    } finally {
      await server.close();
    }
  }
  const ms = Object.fromEntries(Object.entries(samples).map(([k, xs]) => [`records_${k}_ms`, Math.round(median(xs))]));
  const ratio = (name: string, part: string) => Math.round((median(samples[`${name}_${part}`]!) / median(samples[`${name}_parse`]!)) * 100) / 100;
  return {
    ...ms,
    records_calls_10k_import_over_parse: ratio('calls_10k', 'preview') + ratio('calls_10k', 'commit'),
    records_contacts_2k_import_over_parse: ratio('contacts_2k', 'preview') + ratio('contacts_2k', 'commit'),
    records_batches: batches,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await recordsBench(Number(process.env.KURA_BENCH_ROUNDS ?? 3)));
