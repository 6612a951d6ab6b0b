/**
 * Thumbnails for the gallery, made where the backup runs (a worker): at most 320 px on the long
 * side, WebP (JPEG where WebP encoding is missing), from images (thumbnail/image.ts) and from a
 * frame near the start of videos the browser can decode (thumbnail/video.ts). A file that gives
 * none only lacks a preview, so makeThumbnail answers undefined rather than throw.
 */
import type { Bytes } from '../../core/bytes.ts';
import type { SourceFile } from './source.ts';
import { imageThumbnail, isImage } from './thumbnail/image.ts';

export { THUMBNAIL_SIDE } from './thumbnail/canvas.ts';

// Containers mediabunny demuxes. A bare `.ts` is far more often TypeScript than MPEG-TS: only its
// video/mp2t type makes it a video.
const VIDEO = /\.(mp4|m4v|mov|qt|3gp|3g2|webm|mkv|mts|m2ts)$/i;

export async function makeThumbnail(file: SourceFile): Promise<Bytes | undefined> {
  try {
    if (isImage(file)) return await imageThumbnail(file);
    if (file.type.startsWith('video/') || VIDEO.test(file.path)) {
      // Loaded on the first video only: the demuxers are most of this worker's code.
      const { videoThumbnail } = await import('./thumbnail/video.ts');
      return await videoThumbnail(file);
    }
  } catch {
    // A read that failed, a decoder that crashed: the backup itself goes on.
  }
  return undefined;
}
