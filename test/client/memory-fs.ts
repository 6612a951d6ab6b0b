/**
 * An in-memory stand-in for the File System Access API's directory handle, for node tests: the
 * subset Kura uses, with the browser's semantics that matter here: NotFoundError for a missing
 * entry, TypeMismatchError for the wrong kind, and a writable that replaces the file only on close.
 * Real Chromium runs the same code against OPFS in test/e2e.
 */
export class MemoryDirectory {
  readonly kind = 'directory';
  readonly entries = new Map<string, MemoryDirectory | MemoryFile>();
  constructor(readonly name = '') {}

  async getDirectoryHandle(name: string, options: { create?: boolean } = {}): Promise<MemoryDirectory> {
    const found = this.entries.get(name);
    if (found instanceof MemoryDirectory) return found;
    if (found) throw new DOMException(`${name} is a file`, 'TypeMismatchError');
    if (!options.create) throw new DOMException(`${name} not found`, 'NotFoundError');
    const dir = new MemoryDirectory(name);
    this.entries.set(name, dir);
    return dir;
  }

  async getFileHandle(name: string, options: { create?: boolean } = {}): Promise<MemoryFile> {
    const found = this.entries.get(name);
    if (found instanceof MemoryFile) return found;
    if (found) throw new DOMException(`${name} is a directory`, 'TypeMismatchError');
    if (!options.create) throw new DOMException(`${name} not found`, 'NotFoundError');
    const file = new MemoryFile(name);
    this.entries.set(name, file);
    return file;
  }

  /** The file at a '/'-separated path, or undefined. */
  read(path: string): Uint8Array | undefined {
    const [first, ...rest] = path.split('/');
    const found = this.entries.get(first!);
    if (rest.length === 0) return found instanceof MemoryFile ? found.content : undefined;
    return found instanceof MemoryDirectory ? found.read(rest.join('/')) : undefined;
  }

  asHandle(): FileSystemDirectoryHandle {
    return this as unknown as FileSystemDirectoryHandle;
  }
}

export class MemoryFile {
  readonly kind = 'file';
  content = new Uint8Array(0);
  lastModified = 1_700_000_000_000;
  /** Set to make reads fail as a revoked permission or a vanished file does. */
  unreadable = false;
  constructor(readonly name: string) {}

  async getFile(): Promise<File> {
    if (this.unreadable) throw new DOMException(`${this.name} cannot be read`, 'NotReadableError');
    return new File([this.content as Uint8Array<ArrayBuffer>], this.name, { lastModified: this.lastModified });
  }

  asHandle(): FileSystemFileHandle {
    return this as unknown as FileSystemFileHandle;
  }

  async createWritable() {
    const pieces: Uint8Array[] = [];
    return {
      write: async (data: Uint8Array) => void pieces.push(data.slice()),
      close: async () => void (this.content = Buffer.concat(pieces)),
      abort: async () => void (pieces.length = 0),
    };
  }
}
