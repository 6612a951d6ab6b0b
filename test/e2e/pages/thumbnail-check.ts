/**
 * Page-side helper for the thumbnail tests: backs a single file up through the engine worker,
 * then opens its thumbnail as another device would (the master key and the server only, no
 * original), and reads its size and two pixels.
 */
import { fromBase64Url } from '../../../src/core/bytes.ts';
import { openThumb } from '../../../src/core/crypto/chunk.ts';
import { deriveAccountKeys } from '../../../src/core/crypto/subkeys.ts';
import type { DeviceId } from '../../../src/core/ids.ts';
import { openSnapshot } from '../../../src/core/manifest/seal.ts';
import { ApiClient } from '../../../src/client/api/client.ts';
import { startEngine } from '../../../src/client/engine/connect.ts';

export interface ThumbnailSeen {
  readonly path: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  /** RGB at (inset, inset) and (width - inset, inset). */
  readonly left: number[];
  readonly right: number[];
}

export async function backUpAndSeeThumbnail(
  account: { origin: string; token: string; deviceId: DeviceId },
  name: string,
  content: Blob | Uint8Array<ArrayBuffer>,
  inset: number,
): Promise<ThumbnailSeen> {
  const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle(`thumbs-${name}`, { create: true });
  const writable = await (await folder.getFileHandle(name, { create: true })).createWritable();
  await writable.write(content);
  await writable.close();

  const masterKey = crypto.getRandomValues(new Uint8Array(32));
  const { engine } = startEngine();
  await engine.open({ origin: account.origin, token: account.token, deviceId: account.deviceId, masterKey });
  await engine.backupFolder(`thumbs-${name}`, 'Thumbs', folder);
  await engine.sync();

  const keys = await deriveAccountKeys(masterKey);
  const api = new ApiClient({ origin: account.origin, token: account.token });
  const [summary] = await api.snapshots();
  const manifest = await openSnapshot(keys.manifest, fromBase64Url((await api.snapshot(summary!.id)).sealed)!, { id: summary!.id });
  const entry = manifest.entries[0]!;
  const thumb = await openThumb(keys, entry.thumb!, await api.getChunk(entry.thumb!));
  const bitmap = await createImageBitmap(new Blob([thumb as Uint8Array<ArrayBuffer>]));
  const context = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  const at = (x: number) => Array.from(context.getImageData(x, inset, 1, 1).data.slice(0, 3));
  return { path: entry.path, width: bitmap.width, height: bitmap.height, bytes: thumb.length, left: at(inset), right: at(bitmap.width - inset) };
}
