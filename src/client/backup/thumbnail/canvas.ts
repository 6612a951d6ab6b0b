/** What image and video thumbnails share: their size and their encoding. */
import type { Bytes } from '../../../core/bytes.ts';

export const THUMBNAIL_SIDE = 320;

/** The size that fits `width` × `height` within THUMBNAIL_SIDE on its long side, aspect kept, never enlarged. */
export function fitThumbnail(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, THUMBNAIL_SIDE / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** WebP, or JPEG where the browser cannot encode WebP (it then hands back PNG). */
export async function encodeThumbnail(canvas: OffscreenCanvas): Promise<Bytes> {
  let out = await canvas.convertToBlob({ type: 'image/webp', quality: 0.8 });
  if (out.type !== 'image/webp') out = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
  return new Uint8Array(await out.arrayBuffer());
}
