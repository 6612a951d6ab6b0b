/** Files in and out of the page: a picker's answer, and handing a file to the browser's downloads. */
import { KuraError } from '../core/errors.ts';

/** A picker's answer, or undefined when the user closed it (AbortError). */
export async function picked<T>(pick: () => Promise<T>): Promise<T | undefined> {
  try {
    return await pick();
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') return undefined;
    throw new KuraError('source-unreadable', { reason: 'picker' }, e);
  }
}

/** Hands a file to the browser's downloads under `name`. */
export function download(file: Blob, name: string): void {
  const url = URL.createObjectURL(file);
  const a = Object.assign(document.createElement('a'), { href: url, download: name, rel: 'noopener' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Writes `file` into `folder` as `name`, or "name (2).ext" and so on when that name is taken. */
export async function writeIntoFolder(folder: FileSystemDirectoryHandle, name: string, file: Blob): Promise<string> {
  const dot = name.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : `${stem} (${n})${extension}`;
    const taken = await folder.getFileHandle(candidate).then(
      () => true,
      (e: unknown) => {
        if (e instanceof DOMException && (e.name === 'NotFoundError' || e.name === 'TypeMismatchError')) return e.name === 'TypeMismatchError';
        throw new KuraError('source-unreadable', { reason: 'folder' }, e);
      },
    );
    if (taken) continue;
    const handle = await folder.getFileHandle(candidate, { create: true });
    const writable = await handle.createWritable();
    try {
      await writable.write(file);
      await writable.close();
    } catch (e) {
      await writable.abort().catch(() => undefined);
      throw new KuraError('source-unreadable', { reason: 'could not write the file' }, e);
    }
    return candidate;
  }
}
