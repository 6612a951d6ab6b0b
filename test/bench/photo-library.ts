/**
 * A photo library on a Kura server, made from Node for the UI benchmark and journeys: an account
 * with a real passphrase (so a browser can sign in to it), and one snapshot of N photos dated over
 * two years, each with a sealed thumbnail (a few hundred distinct ones, reused) and the same small
 * original, so the grid, the viewer and a restore all work on it.
 */
import { toBase64Url } from '../../src/core/bytes.ts';
import { sealThumbParts } from '../../src/core/crypto/chunk.ts';
import { newDeviceId, newSnapshotId, type ChunkId, type SnapshotId } from '../../src/core/ids.ts';
import { sealSnapshot } from '../../src/core/manifest/seal.ts';
import { referencedChunks, type FileEntry, type Snapshot } from '../../src/core/manifest/snapshot.ts';
import { sealFile } from '../../src/core/pipeline/backup.ts';
import { ApiClient } from '../../src/client/api/client.ts';
import { createAccount } from '../../src/client/account/flows.ts';
import { gradientPhoto } from './png.ts';

export interface PhotoLibrary {
  readonly snapshotId: SnapshotId;
  readonly photos: number;
}

export async function seedPhotoLibrary(
  origin: string,
  options: { email: string; passphrase: string; photos?: number; distinctThumbs?: number },
): Promise<PhotoLibrary> {
  const photos = options.photos ?? 10_000;
  const distinct = Math.min(options.distinctThumbs ?? 300, photos);
  const api = new ApiClient({ origin });
  const { account } = await createAccount(api, { email: options.email, passphrase: options.passphrase, device: { id: newDeviceId(), name: 'Camera import', model: 'Node' } });
  api.token = account.token;

  const original = gradientPhoto(64, 1);
  let content: FileEntry | undefined;
  for await (const item of sealFile([original], account.keys, { path: 'original.png', lastModified: 0, type: 'image/png' })) {
    if (item.kind === 'chunk' && item.envelope) await api.putChunk(item.id, item.envelope);
    if (item.kind === 'file') content = item.entry;
  }
  if (!content) throw new Error('sealing the original gave no entry');

  const thumbs: ChunkId[] = [];
  for (let i = 0; i < distinct; i++) {
    const { id, parts } = await sealThumbParts(account.keys, gradientPhoto(160, i));
    await api.putChunk(id, parts);
    thumbs.push(id);
  }

  const newest = Date.UTC(2026, 10, 20);
  const span = 2 * 365 * 86_400_000;
  const entries: FileEntry[] = Array.from({ length: photos }, (_, n) => {
    const lastModified = Math.round(newest - (span * n) / photos);
    const date = new Date(lastModified);
    const month = String(date.getUTCMonth() + 1).padStart(2, '0');
    return {
      path: `Camera/${date.getUTCFullYear()}/${month}/IMG_${String(n + 1).padStart(5, '0')}.png`,
      size: content.size,
      lastModified,
      type: 'image/png',
      chunks: content.chunks,
      hash: content.hash,
      thumb: thumbs[n % distinct]!,
    };
  });
  const snapshot: Snapshot = {
    format: 'kura-snapshot',
    v: 1,
    id: newSnapshotId(),
    kind: 'files',
    deviceId: account.deviceId,
    counter: 1,
    createdAt: Date.now(),
    source: 'Camera',
    entries,
  };
  const sealed = await sealSnapshot(account.keys.manifest, snapshot);
  await api.commitSnapshot({ id: snapshot.id, kind: 'files', deviceId: account.deviceId, counter: 1, refs: referencedChunks(snapshot), sealed: toBase64Url(sealed) });
  return { snapshotId: snapshot.id, photos };
}
