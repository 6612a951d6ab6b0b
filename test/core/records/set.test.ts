/**
 * Record sets as values: merging is a union that any device computes the same way, the newest
 * version wins, deletions are versions too, and an import plan finds exactly what is new or edited.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { newDeviceId, type ChunkId, type DeviceId } from '../../../src/core/ids.ts';
import type { RecordEntry, RecordVersionRef } from '../../../src/core/manifest/record-set.ts';
import { parseContacts, toVCard, type Contact } from '../../../src/core/records/index.ts';
import { recordKey } from '../../../src/core/records/kinds.ts';
import { appendVersions, bodyHash, canonicalJson, currentVersion, deletions, keysToRead, mergeEntries, planImport, restoration } from '../../../src/core/records/set.ts';
import { contact } from './arbitraries.ts';

const A = 'a'.repeat(32) as DeviceId;
const B = 'b'.repeat(32) as DeviceId;
const batch = (n: number) => n.toString(16).padStart(64, '0') as ChunkId;
const version = (at: number, device: DeviceId, n: number): RecordVersionRef => ({ at, device, hash: n.toString(16).padStart(16, '0'), body: { batch: batch(n), index: 0 } });

const versionArb = fc.record({ at: fc.integer({ min: 0, max: 20 }), device: fc.constantFrom(A, B), n: fc.integer({ min: 1, max: 5 }) }).map((v) => version(v.at, v.device, v.n));
const entriesArb = fc
  .dictionary(fc.constantFrom('k1', 'k2', 'k3', 'k4'), fc.array(versionArb, { minLength: 1, maxLength: 4 }))
  .map((d) => mergeEntries([Object.entries(d).map(([key, versions]) => ({ key, versions }))]));

describe('merging record sets', () => {
  test('is a union: idempotent, commutative and associative', () => {
    fc.assert(
      fc.property(entriesArb, entriesArb, entriesArb, (x, y, z) => {
        expect(mergeEntries([x, x])).toEqual(x);
        expect(mergeEntries([x, y])).toEqual(mergeEntries([y, x]));
        expect(mergeEntries([mergeEntries([x, y]), z])).toEqual(mergeEntries([x, mergeEntries([y, z])]));
      }),
    );
  });

  test('the newest version wins; a tie of clocks is settled by device id the same way everywhere', () => {
    const mine: RecordEntry[] = [{ key: 'k', versions: [version(5, B, 1)] }];
    const theirs: RecordEntry[] = [{ key: 'k', versions: [version(7, A, 2)] }];
    expect(currentVersion(mergeEntries([mine, theirs])[0]!).hash).toBe(version(7, A, 2).hash);
    const tie = mergeEntries([[{ key: 'k', versions: [version(7, B, 3)] }], theirs]);
    expect(currentVersion(tie[0]!).device).toBe(B);
  });

  test('a deletion is a version: newer than the edit, it wins; an edit after it brings the record back', () => {
    const entries = new Map([['k', { key: 'k', versions: [version(1, A, 1)] }]]);
    const deleted = appendVersions([...entries.values()], deletions(entries, ['k', 'k', 'missing']), 10, B);
    expect(deleted[0]!.versions).toHaveLength(2);
    expect(currentVersion(deleted[0]!).body).toBeUndefined();
    const map = new Map(deleted.map((e) => [e.key, e]));
    expect(deletions(map, ['k'])).toEqual([]); // already deleted
    const back = appendVersions(deleted, [restoration(map, 'k', 1)!], 20, A);
    expect(currentVersion(back[0]!)).toMatchObject({ at: 20, hash: version(1, A, 1).hash, body: version(1, A, 1).body });
  });

  test('a change is never older than the version it replaces, whatever the clock says', () => {
    const ahead: RecordEntry[] = [{ key: 'k', versions: [version(1_000, B, 1)] }];
    const next = appendVersions(ahead, [{ key: 'k', hash: '2'.padStart(16, '0'), body: { batch: batch(2), index: 0 } }], 10, A);
    expect(currentVersion(next[0]!)).toMatchObject({ at: 1_001, device: A });
  });
});

describe('canonical bodies', () => {
  test('key order does not change the text or the hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 2 } })).toBe('{"a":{"c":2,"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(bodyHash({ a: 1, b: 2 })).toBe(bodyHash({ b: 2, a: 1 }));
  });
});

/** The state after importing `records` into an empty set (bodies indexed by position). */
function imported(records: readonly Contact[]): { entries: Map<string, RecordEntry>; live: Map<string, Contact> } {
  const entries = new Map<string, RecordEntry>();
  const live = new Map<string, Contact>();
  records.forEach((c, i) => {
    const key = recordKey('contacts', c);
    entries.set(key, { key, versions: [{ at: 1, device: A, hash: bodyHash(c), body: { batch: batch(1), index: i } }] });
    live.set(key, c);
  });
  return { entries, live };
}

/** planImport as the engine calls it: with only the live records keysToRead names read. */
function planAsEngine(entries: Map<string, RecordEntry>, live: Map<string, Contact>, incoming: readonly Contact[]) {
  const read = new Set(keysToRead('contacts', entries, incoming));
  return planImport('contacts', entries, new Map([...live].filter(([key]) => read.has(key))), incoming);
}

const uniqueContacts = fc.uniqueArray(contact, { maxLength: 6, selector: (c) => c.uid });

describe('planning an import', () => {
  test('the same export twice changes nothing', () => {
    fc.assert(
      fc.property(uniqueContacts, (contacts) => {
        const once = parseContacts(toVCard(contacts, { version: '3.0' })).records;
        const { entries, live } = imported(once);
        const again = planAsEngine(entries, live, parseContacts(toVCard(contacts, { version: '3.0' })).records);
        expect(again).toEqual({ added: [], changed: [], unchanged: once.length });
      }),
    );
  });

  test('an edited export updates exactly the edited records', () => {
    fc.assert(
      fc.property(uniqueContacts, fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), (contacts, edit) => {
        const before = parseContacts(toVCard(contacts, { version: '4.0' })).records;
        const { entries, live } = imported(before);
        const edited = contacts.map((c, i) => (edit[i] ? { ...c, note: `${c.note ?? ''} edited` } : c));
        const plan = planAsEngine(entries, live, parseContacts(toVCard(edited, { version: '4.0' })).records);
        expect(plan.added).toEqual([]);
        expect(plan.changed.map((c) => c.key).sort()).toEqual(contacts.filter((_, i) => edit[i]).map((c) => c.uid).sort());
        expect(plan.unchanged).toBe(contacts.length - plan.changed.length);
      }),
    );
  });

  test('a contact without a UID whose phone was edited updates the same record, keeping its key', () => {
    const card = (tel: string) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:山田 花子\r\nN:山田;花子;;;\r\nTEL;TYPE=CELL:${tel}\r\nEND:VCARD\r\n`;
    const first = parseContacts(card('090-1111-2222')).records;
    const { entries, live } = imported(first);
    const plan = planAsEngine(entries, live, parseContacts(card('090-3333-4444')).records);
    expect(plan.added).toEqual([]);
    expect(plan.changed).toHaveLength(1);
    expect(plan.changed[0]!.key).toBe(first[0]!.uid);
    expect(plan.changed[0]!.after.uid).toBe(first[0]!.uid);
    expect(plan.changed[0]!.after.phones[0]!.value).toBe('090-3333-4444');
  });

  test('two live contacts with one name are ambiguous: an edited third is added, not guessed', () => {
    const card = (tel: string) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sato\r\nTEL:${tel}\r\nEND:VCARD\r\n`;
    const { entries, live } = imported(parseContacts(card('1') + card('2')).records);
    const plan = planAsEngine(entries, live, parseContacts(card('3')).records);
    expect(plan.added).toHaveLength(1);
    expect(plan.changed).toEqual([]);
  });

  test('only the records the file changes, and the UID-less contacts it could match by name, are read', () => {
    fc.assert(
      fc.property(uniqueContacts, fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), (contacts, edit) => {
        const withUid = contacts.filter((c) => !c.uid.startsWith('vcard-'));
        const { entries, live } = imported(withUid);
        const edited = withUid.map((c, i) => (edit[i] ? { ...c, note: `${c.note ?? ''} edited` } : c));
        expect(keysToRead('contacts', entries, edited).sort()).toEqual(withUid.filter((_, i) => edit[i]).map((c) => c.uid).sort());
        // Read in part or in full, the plan is the same.
        expect(planAsEngine(entries, live, edited)).toEqual(planImport('contacts', entries, live, edited));
      }),
    );
    const uidless = parseContacts('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sato\r\nTEL:1\r\nEND:VCARD\r\n').records;
    const { entries } = imported(uidless);
    expect(keysToRead('contacts', entries, [])).toEqual([uidless[0]!.uid]);
  });

  test('a changed record whose current body was not read is a programming error, not a silent add', () => {
    const contacts = parseContacts('BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x-1\r\nFN:A\r\nEND:VCARD\r\n').records;
    const { entries } = imported(contacts);
    expect(() => planImport('contacts', entries, new Map(), [{ ...contacts[0]!, note: 'edited' }])).toThrow(/x-1 was not read/);
    expect(planImport('contacts', entries, new Map(), contacts)).toEqual({ added: [], changed: [], unchanged: 1 });
  });

  test('a record deleted in the account and found in the file again is added back', () => {
    const contacts = parseContacts('BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x-1\r\nFN:A\r\nEND:VCARD\r\n').records;
    const { entries } = imported(contacts);
    const deleted = new Map(appendVersions([...entries.values()], deletions(entries, ['x-1']), 5, newDeviceId()).map((e) => [e.key, e]));
    expect(planImport('contacts', deleted, new Map(), contacts).added.map((a) => a.key)).toEqual(['x-1']);
  });
});
