/** The sealed record set: round-trip, bound to its snapshot id, and schema-checked. */
import { expect, test } from 'vitest';
import { newDeviceId, newSnapshotId, type ChunkId } from '../../../src/core/ids.ts';
import { openRecordSet, parseRecordSet, referencedBatches, sealRecordSet, type RecordSet } from '../../../src/core/manifest/record-set.ts';
import { codeOf, newAccountKeys } from '../helpers.ts';

const keys = await newAccountKeys();
const device = newDeviceId();
const batch = (c: string) => c.repeat(64) as ChunkId;

function set(overrides: Partial<RecordSet> = {}): RecordSet {
  return {
    format: 'kura-records',
    v: 1,
    id: newSnapshotId(),
    kind: 'contacts',
    deviceId: device,
    counter: 3,
    createdAt: 1_700_000_000_000,
    records: [
      { key: 'uid-1', versions: [{ at: 1, device, hash: '0123456789abcdef', body: { batch: batch('a'), index: 0 } }, { at: 2, device, hash: '' }] },
      { key: 'uid-2', versions: [{ at: 1, device, hash: 'fedcba9876543210', body: { batch: batch('b'), index: 4 } }] },
    ],
    ...overrides,
  };
}

test('seals and opens back, bound to its id', async () => {
  const s = set();
  const sealed = await sealRecordSet(keys.records, s);
  expect(await openRecordSet(keys.records, sealed, s.id)).toEqual(s);
  expect(await codeOf(openRecordSet(keys.records, sealed, newSnapshotId()))).toBe('envelope-auth-failed');
  expect(await codeOf(openRecordSet(keys.manifest, sealed, s.id))).toBe('envelope-auth-failed');
});

test('refuses what it could not open again: duplicate keys, a body on a deletion, an unknown version', () => {
  const s = set();
  expect(() => parseRecordSet({ ...s, records: [s.records[0], s.records[0]] })).toThrow(expect.objectContaining({ code: 'records-invalid' }));
  expect(() => parseRecordSet({ ...s, records: [{ key: 'k', versions: [{ at: 1, device, hash: '', body: { batch: batch('a'), index: 0 } }] }] })).toThrow(
    expect.objectContaining({ code: 'records-invalid' }),
  );
  expect(() => parseRecordSet({ ...s, v: 2 })).toThrow(expect.objectContaining({ code: 'records-invalid' }));
  expect(() => parseRecordSet({ ...s, kind: 'photos' })).toThrow(expect.objectContaining({ code: 'records-invalid' }));
});

test('references every batch any version lives in, once', () => {
  expect(referencedBatches(set()).sort()).toEqual([batch('a'), batch('b')]);
});
