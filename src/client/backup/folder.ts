/**
 * A source over a folder the user picked with showDirectoryPicker (or any directory handle: an
 * OPFS folder in tests). The walk is recursive, skips system files and reports entries it cannot
 * read (a permission revoked mid-walk, a file deleted meanwhile) without stopping.
 */
import { isSystemPath, type FileSource, type SourceFile } from './source.ts';

export function sourceFromDirectory(id: string, root: FileSystemDirectoryHandle): FileSource {
  return {
    id,
    async *list(onFailure) {
      const queue: [FileSystemDirectoryHandle, string][] = [[root, '']];
      while (queue.length > 0) {
        const [dir, prefix] = queue.shift()!;
        let names: [string, FileSystemHandle][];
        try {
          names = [];
          for await (const entry of dir.entries()) names.push(entry);
        } catch (error) {
          onFailure({ path: prefix || '.', error });
          continue;
        }
        names.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        for (const [name, handle] of names) {
          const path = prefix + name;
          if (isSystemPath(path)) continue;
          if (handle.kind === 'directory') {
            queue.push([handle as FileSystemDirectoryHandle, `${path}/`]);
            continue;
          }
          try {
            yield await describe(handle as FileSystemFileHandle, path);
          } catch (error) {
            onFailure({ path, error });
          }
        }
      }
    },
  };
}

/**
 * A source over single files picked with showOpenFilePicker: each backed up under its own name at
 * the top of the snapshot (a second file of the same name becomes "name (2).ext"). A handle that
 * can no longer be read is reported, and the others go on.
 */
export function sourceFromFileHandles(id: string, handles: readonly FileSystemFileHandle[]): FileSource {
  return {
    id,
    async *list(onFailure) {
      const taken = new Set<string>();
      for (const handle of handles) {
        const path = uniqueName(handle.name, taken);
        if (isSystemPath(path)) continue;
        try {
          yield await describe(handle, path);
        } catch (error) {
          onFailure({ path, error });
        }
      }
    },
  };
}

function uniqueName(name: string, taken: Set<string>): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = `${stem} (${n})${ext}`;
  taken.add(candidate);
  return candidate;
}

async function describe(handle: FileSystemFileHandle, path: string): Promise<SourceFile> {
  const file = await handle.getFile();
  return {
    path,
    size: file.size,
    lastModified: file.lastModified,
    type: file.type,
    open: async () => (await handle.getFile()).stream() as ReadableStream<Uint8Array>,
    blob: () => handle.getFile(),
    stat: async () => {
      const now = await handle.getFile();
      return { size: now.size, lastModified: now.lastModified };
    },
  };
}

/** Whether a stored handle can still be read without asking (it usually comes back as 'prompt'). */
export async function readPermission(handle: FileSystemHandle): Promise<PermissionState> {
  const query = (handle as unknown as { queryPermission?: (d: { mode: 'read' }) => Promise<PermissionState> }).queryPermission;
  return query ? query.call(handle, { mode: 'read' }) : 'granted';
}

/** Asks again for a stored handle; must run in a user gesture on the page (a "Reconnect" button). */
export async function reconnect(handle: FileSystemHandle): Promise<boolean> {
  const request = (handle as unknown as { requestPermission?: (d: { mode: 'read' }) => Promise<PermissionState> }).requestPermission;
  return (request ? await request.call(handle, { mode: 'read' }) : 'granted') === 'granted';
}
