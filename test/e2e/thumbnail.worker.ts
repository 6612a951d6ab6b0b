/**
 * A module worker for the thumbnail tests: it writes test files into OPFS and runs makeThumbnail
 * over an OPFS folder, as the engine worker does over a picked folder (sourceFromDirectory).
 */
import { sourceFromDirectory } from '../../src/client/backup/folder.ts';
import type { SourceFile } from '../../src/client/backup/source.ts';
import { makeThumbnail } from '../../src/client/backup/thumbnail.ts';

export type Request =
  | { op: 'write'; folder: string; name: string; bytes: Uint8Array; growMdatTo?: number }
  | { op: 'thumbnails'; folder: string };

export interface Made {
  readonly thumb: Uint8Array | undefined;
  readonly ms: number;
  /** Bytes mediabunny or the image path pulled from the file. */
  readonly bytesRead: number;
  readonly size: number;
}

/** The part of FileSystemSyncAccessHandle used here (TypeScript's DOM library lacks it). */
interface SyncAccess {
  write(data: Uint8Array, options: { at: number }): number;
  truncate(size: number): void;
  flush(): void;
  close(): void;
}

let unhandled = 0;
self.addEventListener('unhandledrejection', () => void unhandled++);

self.onmessage = async ({ data }: MessageEvent<Request>) => {
  try {
    const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle(data.folder, { create: true });
    if (data.op === 'write') {
      const handle = (await folder.getFileHandle(data.name, { create: true })) as unknown as { createSyncAccessHandle(): Promise<SyncAccess> };
      const access = await handle.createSyncAccessHandle();
      access.truncate(0);
      if (data.growMdatTo) {
        // As long as a real long video, in a sparse file: the mdat box (media data) grows, its
        // frames first and zeros after, and what follows it (the moov index, in camera files)
        // moves to the new end. Frame offsets point into mdat, which does not move: still valid.
        const at = boxOffset(data.bytes, 'mdat');
        const end = at + new DataView(data.bytes.buffer, data.bytes.byteOffset).getUint32(at);
        const after = data.bytes.slice(end);
        new DataView(data.bytes.buffer, data.bytes.byteOffset).setUint32(at, data.growMdatTo - after.length - at);
        access.write(data.bytes.subarray(0, end), { at: 0 });
        access.truncate(data.growMdatTo);
        access.write(after, { at: data.growMdatTo - after.length });
      } else access.write(data.bytes, { at: 0 });
      access.flush();
      access.close();
      postMessage({ ok: true });
      return;
    }
    const made: Record<string, Made> = {};
    for await (const file of sourceFromDirectory(data.folder, folder).list(() => undefined)) {
      const counted = counting(file);
      const start = performance.now();
      const thumb = await makeThumbnail(counted.file);
      made[file.path] = { thumb, ms: Math.round(performance.now() - start), bytesRead: counted.read(), size: file.size };
    }
    // Give disposed reads a moment to settle, so their rejections would show up here.
    await new Promise((resolve) => setTimeout(resolve, 200));
    postMessage({ ok: true, made, unhandled });
  } catch (error) {
    postMessage({ ok: false, error: String(error) });
  }
};

/** The same file, counting the bytes read through its stream and its blob's slices. */
function counting(file: SourceFile): { file: SourceFile; read: () => number } {
  let read = 0;
  const count = (stream: ReadableStream<Uint8Array>) =>
    stream.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ transform: (chunk, out) => void ((read += chunk.length), out.enqueue(chunk)) }));
  const countedBlob = (blob: Blob): Blob => {
    const slice = blob.slice.bind(blob);
    const arrayBuffer = blob.arrayBuffer.bind(blob);
    const stream = blob.stream.bind(blob);
    return Object.assign(blob, {
      slice: (...args: Parameters<Blob['slice']>) => countedBlob(slice(...args)),
      stream: () => count(stream() as ReadableStream<Uint8Array>),
      arrayBuffer: async () => {
        const buffer = await arrayBuffer();
        read += buffer.byteLength;
        return buffer;
      },
    });
  };
  const open = file.open.bind(file);
  const blob = file.blob?.bind(file);
  return {
    file: { ...file, open: async () => count(await open()), ...(blob ? { blob: async () => countedBlob(await blob()) } : {}) },
    read: () => read,
  };
}

/** Where the top-level box `type` starts (32-bit box sizes only, as in these small test files). */
function boxOffset(bytes: Uint8Array, type: string): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + 8 <= bytes.length; ) {
    if (String.fromCharCode(...bytes.subarray(at + 4, at + 8)) === type) return at;
    const size = view.getUint32(at);
    if (size < 8) break;
    at += size;
  }
  throw new Error(`no ${type} box`);
}
