/**
 * What kind of file an entry is, for its icon and for the photo grid: by media type when the
 * manifest has one, by extension when it does not (a picked folder often gives '' for HEIC, RAW
 * and many videos). Pure, no DOM.
 */
import type { FileEntry } from '../../../core/manifest/snapshot.ts';

export type FileKind = 'image' | 'video' | 'audio' | 'document' | 'other';

const BY_EXTENSION: Readonly<Record<string, FileKind>> = {};
const add = (kind: FileKind, list: string) => list.split(' ').forEach((ext) => ((BY_EXTENSION as Record<string, FileKind>)[ext] = kind));
add('image', 'jpg jpeg jpe png gif webp heic heif avif bmp tif tiff svg dng raw cr2 cr3 nef arw orf rw2 jxl');
add('video', 'mp4 m4v mov webm mkv avi 3gp 3g2 mts m2ts wmv mpg mpeg');
add('audio', 'mp3 m4a aac flac wav ogg oga opus wma aif aiff alac mid midi');
add('document', 'pdf doc docx xls xlsx ppt pptx odt ods odp rtf txt md csv tsv pages numbers key epub json xml html htm vcf ics');

const DOCUMENT_TYPES = /^(text\/|application\/(pdf|msword|rtf|json|xml|epub|vnd\.(openxmlformats|ms-|oasis|apple)))/;

export function extensionOf(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function fileKind(entry: Pick<FileEntry, 'path' | 'type'>): FileKind {
  const type = entry.type.toLowerCase();
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('audio/')) return 'audio';
  if (DOCUMENT_TYPES.test(type)) return 'document';
  return BY_EXTENSION[extensionOf(entry.path)] ?? 'other';
}

/** Photos and videos: what the grid shows. */
export function isMedia(kind: FileKind): boolean {
  return kind === 'image' || kind === 'video';
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** 'a/b/c.jpg' → 'a/b'; a file at the top → ''. */
export function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}
