/**
 * Which files a zip should store rather than deflate: formats that are compressed already
 * (photos, video, audio, archives, office documents, PDF). Deflating them costs CPU for a gain of
 * a percent or less, and sometimes makes them larger.
 */
import type { FileEntry } from '../../core/manifest/snapshot.ts';

const COMPRESSED_EXTENSIONS = new Set([
  // images
  'jpg', 'jpeg', 'jfif', 'png', 'gif', 'webp', 'heic', 'heif', 'avif', 'jxl',
  // video
  'mp4', 'm4v', 'mov', 'qt', 'mkv', 'webm', 'avi', '3gp', '3g2', 'wmv', 'mts', 'm2ts', 'mpg', 'mpeg',
  // audio
  'mp3', 'm4a', 'aac', 'ogg', 'oga', 'opus', 'flac', 'wma', 'amr',
  // archives and packages
  'zip', 'gz', 'tgz', 'bz2', 'xz', 'zst', '7z', 'rar', 'lz4', 'br', 'apk', 'jar', 'ipa', 'dmg', 'epub',
  // documents that are zips or compressed streams inside
  'pdf', 'docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'pages', 'numbers', 'woff', 'woff2',
]);

/** Media types whose files are usually raw: worth deflating even though they are images or sound. */
const RAW_MEDIA_TYPES = new Set(['image/bmp', 'image/x-ms-bmp', 'image/tiff', 'image/svg+xml', 'image/x-icon', 'image/vnd.microsoft.icon', 'audio/wav', 'audio/x-wav', 'audio/wave', 'audio/aiff', 'audio/x-aiff']);

export function isAlreadyCompressed(entry: Pick<FileEntry, 'path' | 'type'>): boolean {
  const name = entry.path.slice(entry.path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  if (dot > 0 && COMPRESSED_EXTENSIONS.has(name.slice(dot + 1).toLowerCase())) return true;
  const type = entry.type.toLowerCase().split(';')[0]!.trim();
  if (RAW_MEDIA_TYPES.has(type)) return false;
  return /^(image|video|audio)\//.test(type) || /^application\/(zip|gzip|x-7z-compressed|x-rar-compressed|pdf|zstd|x-xz|x-bzip2)$/.test(type);
}
