/**
 * When and with what a photo was taken, from its EXIF tags, for the line under the image
 * ("Taken 12 March 2024, 14:05 · Canon EOS R6"). exifr is loaded on first use, so the app's first
 * screen does not carry it. A photo without these tags, or one exifr cannot read, gives nothing.
 */
export interface PhotoInfo {
  /** DateTimeOriginal, milliseconds (EXIF has no zone: the camera's wall clock, read as local). */
  readonly taken?: number;
  readonly camera?: string;
}

export async function readPhotoInfo(blob: Blob): Promise<PhotoInfo | undefined> {
  try {
    const { default: exifr } = await import('exifr/dist/lite.esm.mjs');
    return photoInfo(await exifr.parse(blob, ['DateTimeOriginal', 'Make', 'Model']));
  } catch {
    return undefined; // damaged or unusual metadata: the image itself still shows
  }
}

export function photoInfo(tags: unknown): PhotoInfo | undefined {
  if (!tags || typeof tags !== 'object') return undefined;
  const { DateTimeOriginal: date, Make: make, Model: model } = tags as Record<string, unknown>;
  const taken = date instanceof Date && !Number.isNaN(date.getTime()) ? date.getTime() : undefined;
  const camera = cameraName(text(make), text(model));
  if (taken === undefined && camera === undefined) return undefined;
  return { ...(taken !== undefined && { taken }), ...(camera !== undefined && { camera }) };
}

/** "Canon" + "Canon EOS R6" → "Canon EOS R6"; "Apple" + "iPhone 15 Pro" → "Apple iPhone 15 Pro". */
function cameraName(make: string | undefined, model: string | undefined): string | undefined {
  if (!model) return make;
  if (!make) return model;
  const brand = make.split(/\s+/)[0]!.toLowerCase();
  return model.toLowerCase().startsWith(brand) ? model : `${make} ${model}`;
}

/** EXIF strings often come padded with NULs or spaces. */
function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const clean = value.replaceAll('\0', '').trim().replace(/\s+/g, ' ');
  return clean === '' ? undefined : clean;
}
