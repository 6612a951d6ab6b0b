/**
 * Image thumbnails: decoded with createImageBitmap and drawn small on an OffscreenCanvas. Files the
 * browser cannot decode (HEIC in Chromium, RAW) get none; neither do images too large to hold at once.
 */
import type { Bytes } from '../../../core/bytes.ts';
import type { SourceFile } from '../source.ts';
import { encodeThumbnail, fitThumbnail } from './canvas.ts';

const MAX_SOURCE_BYTES = 64 * 1024 * 1024;
const IMAGE = /\.(jpe?g|png|gif|webp|avif|bmp)$/i;

export function isImage(file: SourceFile): boolean {
  return file.type.startsWith('image/') || IMAGE.test(file.path);
}

export async function imageThumbnail(file: SourceFile): Promise<Bytes | undefined> {
  if (file.size === 0 || file.size > MAX_SOURCE_BYTES) return undefined;
  const blob = await new Response(await file.open()).blob();
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    return undefined; // not decodable here
  }
  try {
    const { width, height } = fitThumbnail(bitmap.width, bitmap.height);
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) return undefined;
    context.drawImage(bitmap, 0, 0, width, height);
    return await encodeThumbnail(canvas);
  } finally {
    bitmap.close();
  }
}
