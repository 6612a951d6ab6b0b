import { describe, expect, test } from 'vitest';
import { utf8 } from '../../../src/core/bytes.ts';
import { sealEnvelope } from '../../../src/core/crypto/envelope.ts';
import { idBytes, newDeviceId, newSnapshotId, type ChunkId, type FileHash } from '../../../src/core/ids.ts';
import { openSnapshot, parseSnapshot, sealSnapshot, type CounterMark } from '../../../src/core/manifest/seal.ts';
import { isSafeRelativePath, referencedChunks, type Snapshot } from '../../../src/core/manifest/snapshot.ts';
import { codeOf, newAccountKeys } from '../helpers.ts';

const keys = await newAccountKeys();
const deviceId = newDeviceId();
const chunk = (n: number) => n.toString(16).padStart(64, '0') as ChunkId;
const hash = 'f'.repeat(64) as FileHash;

function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    format: 'kura-snapshot',
    v: 1,
    id: newSnapshotId(),
    kind: 'files',
    deviceId,
    counter: 5,
    createdAt: Date.UTC(2026, 10, 29),
    source: '写真 Photos',
    entries: [
      { path: '2026/旅行/IMG_0001.HEIC', size: 3_000_000, lastModified: 1, type: 'image/heic', chunks: [chunk(1), chunk(2)], hash, thumb: chunk(9) },
      { path: 'notes/empty.txt', size: 0, lastModified: 2, type: 'text/plain', chunks: [], hash },
      { path: 'copy.heic', size: 3_000_000, lastModified: 3, type: 'image/heic', chunks: [chunk(1), chunk(2)], hash },
    ],
    ...overrides,
  };
}

describe('snapshot manifests', () => {
  test('seal and open round-trip, keeping every field', async () => {
    const s = snapshot();
    expect(await openSnapshot(keys.manifest, await sealSnapshot(keys.manifest, s), { id: s.id })).toEqual(s);
  });

  test('list the distinct chunks they reference, thumbnails included', () => {
    expect(referencedChunks(snapshot()).sort()).toEqual([chunk(1), chunk(2), chunk(9)]);
  });

  test('a manifest sealed for another snapshot id does not open', async () => {
    const s = snapshot();
    const sealed = await sealSnapshot(keys.manifest, s);
    expect(await codeOf(openSnapshot(keys.manifest, sealed, { id: newSnapshotId() }))).toBe('envelope-auth-failed');
  });

  test('a manifest whose inner id differs from the one it is bound to is refused', async () => {
    const s = snapshot();
    const otherId = newSnapshotId();
    const sealed = await sealEnvelope({ key: keys.manifest, purpose: 'manifest', binding: idBytes(otherId) }, utf8(JSON.stringify(s)));
    expect(await codeOf(openSnapshot(keys.manifest, sealed, { id: otherId }))).toBe('manifest-id-mismatch');
  });

  test('a manifest does not open under another key or as another kind of envelope', async () => {
    const s = snapshot();
    const sealed = await sealSnapshot(keys.manifest, s);
    expect(await codeOf(openSnapshot(keys.records, sealed, { id: s.id }))).toBe('envelope-auth-failed');
    const asChunk = await sealEnvelope({ key: keys.manifest, purpose: 'chunk', binding: idBytes(s.id) }, utf8(JSON.stringify(s)));
    expect(await codeOf(openSnapshot(keys.manifest, asChunk, { id: s.id }))).toBe('envelope-auth-failed');
  });

  describe('rollback', () => {
    const seenFrom = (mark: CounterMark) => (device: string) => (device === deviceId ? mark : undefined);

    test('a replayed older counter from a device is refused', async () => {
      const old = snapshot({ counter: 4 });
      const sealed = await sealSnapshot(keys.manifest, old);
      const lastSeen = seenFrom({ counter: 5, id: newSnapshotId() });
      expect(await codeOf(openSnapshot(keys.manifest, sealed, { id: old.id, lastSeen }))).toBe('manifest-rollback');
    });

    test('another snapshot claiming the same counter is refused', async () => {
      const s = snapshot({ counter: 5 });
      const lastSeen = seenFrom({ counter: 5, id: newSnapshotId() });
      expect(await codeOf(openSnapshot(keys.manifest, await sealSnapshot(keys.manifest, s), { id: s.id, lastSeen }))).toBe(
        'manifest-rollback',
      );
    });

    test('the same snapshot again, a newer one, or another device are accepted', async () => {
      const s = snapshot({ counter: 5 });
      const sealed = await sealSnapshot(keys.manifest, s);
      await expect(openSnapshot(keys.manifest, sealed, { id: s.id, lastSeen: seenFrom({ counter: 5, id: s.id }) })).resolves.toEqual(s);
      await expect(openSnapshot(keys.manifest, sealed, { id: s.id, lastSeen: seenFrom({ counter: 4, id: newSnapshotId() }) })).resolves.toEqual(s);
      const other = snapshot({ deviceId: newDeviceId(), counter: 1 });
      const lastSeen = seenFrom({ counter: 9, id: newSnapshotId() });
      await expect(openSnapshot(keys.manifest, await sealSnapshot(keys.manifest, other), { id: other.id, lastSeen })).resolves.toEqual(other);
    });
  });

  describe('schema', () => {
    const invalid: [string, unknown][] = [
      ['a future version', { ...snapshot(), v: 2 }],
      ['an unknown kind', { ...snapshot(), kind: 'photos' }],
      ['a zero counter', { ...snapshot(), counter: 0 }],
      ['an unknown field', { ...snapshot(), extra: true }],
      ['a bad chunk id', snapshot({ entries: [{ path: 'a', size: 1, lastModified: 0, type: '', chunks: ['XYZ' as ChunkId], hash }] })],
      ['a path escaping the folder', snapshot({ entries: [{ path: '../etc/passwd', size: 0, lastModified: 0, type: '', chunks: [], hash }] })],
      ['an absolute path', snapshot({ entries: [{ path: '/etc/passwd', size: 0, lastModified: 0, type: '', chunks: [], hash }] })],
      ['a non-empty file with no chunks', snapshot({ entries: [{ path: 'a', size: 10, lastModified: 0, type: '', chunks: [], hash }] })],
      ['a negative size', snapshot({ entries: [{ path: 'a', size: -1, lastModified: 0, type: '', chunks: [chunk(1)], hash }] })],
      ['duplicate paths', snapshot({ entries: [...snapshot().entries, snapshot().entries[0]!] })],
      ['not an object', 'snapshot'],
    ];
    test.each(invalid)('refuses %s', (_name, value) => {
      expect(() => parseSnapshot(value)).toThrowError(expect.objectContaining({ code: 'manifest-invalid' }));
    });

    test('sealing refuses what could not be opened again', async () => {
      const bad = snapshot({ entries: [{ path: 'a/./b', size: 0, lastModified: 0, type: '', chunks: [], hash }] });
      expect(await codeOf(sealSnapshot(keys.manifest, bad))).toBe('manifest-invalid');
    });

    test.each([
      ['a.txt', true],
      ['写真/2026/IMG 1.jpg', true],
      ['a\\b.txt', true],
      ['', false],
      ['a//b', false],
      ['a/', false],
      ['./a', false],
      ['a/../b', false],
      ['a\0b', false],
    ])('path %j is safe: %s', (path, safe) => {
      expect(isSafeRelativePath(path)).toBe(safe);
    });
  });
});
