/**
 * Thumbnails for the gallery, made where the backup runs (a worker): the image is decoded with
 * createImageBitmap, drawn at most 320 px on its long side on an OffscreenCanvas, and encoded as
 * WebP (JPEG where WebP encoding is missing). Files the browser cannot decode (HEIC in Chromium,
 * RAW) get none; neither do images too large to hold at once.
 */
import type { Bytes } from '../../core/bytes.ts';
import type { SourceFile } from './source.ts';

export const THUMBNAIL_SIDE = 320;
const MAX_SOURCE_BYTES = 64 * 1024 * 1024;
const IMAGE = /\.(jpe?g|png|gif|webp|avif|bmp)$/i;

export async function makeThumbnail(file: SourceFile): Promise<Bytes | undefined> {
  if (!(file.type.startsWith('image/') || IMAGE.test(file.path)) || file.size === 0 || file.size > MAX_SOURCE_BYTES) return undefined;
  const blob = await new Response(await file.open()).blob();
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    return undefined; // not decodable here
  }
  try {
    const scale = Math.min(1, THUMBNAIL_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) return undefined;
    context.drawImage(bitmap, 0, 0, width, height);
    let out = await canvas.convertToBlob({ type: 'image/webp', quality: 0.8 });
    if (out.type !== 'image/webp') out = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
    return new Uint8Array(await out.arrayBuffer());
  } finally {
    bitmap.close();
  }
}
