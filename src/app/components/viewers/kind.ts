/**
 * Which viewer shows a file, decided from its media type, or from its extension when the type is
 * empty (files picked on some systems, or from `<input>`, often come without one). Pure, so the
 * rules are unit-tested on their own.
 *
 * SVG is an image format that can carry script; it is shown as text (and can be downloaded),
 * never rendered. HTML is text/* and is likewise shown as source, never as a page.
 */
export type ViewerKind = 'image' | 'pdf' | 'text' | 'audio' | 'video' | 'other';

/** Text files are shown up to this many bytes, with a note beyond it. */
export const TEXT_LIMIT = 1024 * 1024;

/** Image types browsers can draw in an `<img>` (HEIC only in Safari: the img's error covers the rest). */
const IMAGE_TYPES = new Set(['image/jpeg', 'image/pjpeg', 'image/png', 'image/apng', 'image/gif', 'image/webp', 'image/avif', 'image/bmp', 'image/heic', 'image/heif']);

/** Structured text that is not text/*. */
const TEXT_TYPES = new Set(['application/json', 'application/xml', 'application/x-ndjson', 'application/yaml', 'application/x-yaml', 'application/toml', 'application/javascript', 'application/x-subrip', 'image/svg+xml']);

/** Extension → the viewer, and for the rendered kinds the media type to give a Blob that has none. */
const EXTENSIONS: Readonly<Record<string, { readonly kind: ViewerKind; readonly type?: string }>> = {
  jpg: { kind: 'image', type: 'image/jpeg' },
  jpeg: { kind: 'image', type: 'image/jpeg' },
  jfif: { kind: 'image', type: 'image/jpeg' },
  png: { kind: 'image', type: 'image/png' },
  gif: { kind: 'image', type: 'image/gif' },
  webp: { kind: 'image', type: 'image/webp' },
  avif: { kind: 'image', type: 'image/avif' },
  bmp: { kind: 'image', type: 'image/bmp' },
  heic: { kind: 'image', type: 'image/heic' },
  heif: { kind: 'image', type: 'image/heif' },
  pdf: { kind: 'pdf', type: 'application/pdf' },
  mp3: { kind: 'audio', type: 'audio/mpeg' },
  m4a: { kind: 'audio', type: 'audio/mp4' },
  aac: { kind: 'audio', type: 'audio/aac' },
  flac: { kind: 'audio', type: 'audio/flac' },
  ogg: { kind: 'audio', type: 'audio/ogg' },
  oga: { kind: 'audio', type: 'audio/ogg' },
  opus: { kind: 'audio', type: 'audio/ogg' },
  wav: { kind: 'audio', type: 'audio/wav' },
  mp4: { kind: 'video', type: 'video/mp4' },
  m4v: { kind: 'video', type: 'video/mp4' },
  webm: { kind: 'video', type: 'video/webm' },
  mov: { kind: 'video', type: 'video/quicktime' },
  ...Object.fromEntries(
    ['txt', 'text', 'md', 'markdown', 'log', 'csv', 'tsv', 'json', 'xml', 'yaml', 'yml', 'ini', 'vcf', 'ics', 'srt', 'svg', 'html', 'htm'].map((ext) => [ext, { kind: 'text' as const }]),
  ),
};

/** "image/JPEG; charset=x" → "image/jpeg". */
export function baseType(type: string): string {
  return type.split(';')[0]!.trim().toLowerCase();
}

/** The extension after the last dot of the last segment, lower-cased ('' when none). */
export function extensionOf(path: string): string {
  const name = fileName(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The folder part of a path ('' for a file at the top). */
export function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash > 0 ? path.slice(0, slash) : '';
}

export function viewerKind(entry: { readonly path: string; readonly type: string }): ViewerKind {
  const type = baseType(entry.type);
  if (type === '' || type === 'application/octet-stream') return EXTENSIONS[extensionOf(entry.path)]?.kind ?? 'other';
  if (IMAGE_TYPES.has(type)) return 'image';
  if (type === 'application/pdf') return 'pdf';
  if (type.startsWith('text/') || TEXT_TYPES.has(type) || type.endsWith('+json') || type.endsWith('+xml')) return 'text';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  return 'other';
}

/**
 * The media type to give the decrypted Blob. Images, PDF and media keep theirs (or get one from
 * the extension), so the browser's PDF viewer and media elements know what they have. Everything
 * else becomes inert: an object URL shares the app's origin, so an HTML or SVG file must never be
 * something a browser would run if the URL were ever opened; text is text/plain, the rest bytes.
 * The download keeps the file's name, so nothing is lost.
 */
export function blobType(entry: { readonly path: string; readonly type: string }): string {
  const kind = viewerKind(entry);
  if (kind === 'text') return 'text/plain';
  if (kind === 'other') return 'application/octet-stream';
  const type = baseType(entry.type);
  return type !== '' && type !== 'application/octet-stream' ? type : (EXTENSIONS[extensionOf(entry.path)]?.type ?? 'application/octet-stream');
}
