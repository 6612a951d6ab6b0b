/**
 * Thumbnails for the gallery, made where the backup runs (a worker): at most 320 px on the long
 * side, WebP (JPEG where WebP encoding is missing), from images (thumbnail/image.ts).
 */
import type { Bytes } from '../../core/bytes.ts';
import type { SourceFile } from './source.ts';
import { imageThumbnail, isImage } from './thumbnail/image.ts';

export { THUMBNAIL_SIDE } from './thumbnail/canvas.ts';

export async function makeThumbnail(file: SourceFile): Promise<Bytes | undefined> {
  return isImage(file) ? imageThumbnail(file) : undefined;
}
