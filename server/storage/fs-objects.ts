/**
 * The embedded ObjectStore: one file per chunk envelope under
 * `<root>/objects/<account>/<first two hex of id>/<id>`.
 *
 * [Note: Durable object writes]
 * A put writes a temp file in `<root>/tmp` (same file system), fsyncs it, renames it into place
 * and fsyncs the directory that gained the name, so once put resolves the object survives a crash
 * or power cut, and no reader can ever see a partial object (rename is atomic). Directories are
 * created once and their parents fsynced too. Temp files left by a crash are swept on start.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { asBytes, type Bytes } from '../../src/core/bytes.ts';
import type { AccountId, ChunkId } from '../../src/core/ids.ts';
import type { ObjectStore } from './ports.ts';

export class FsObjectStore implements ObjectStore {
  private readonly objects: string;
  private readonly tmp: string;
  private readonly knownDirs = new Set<string>();

  constructor(root: string) {
    this.objects = join(root, 'objects');
    this.tmp = join(root, 'tmp');
  }

  private path(accountId: AccountId, id: ChunkId): string {
    return join(this.objects, accountId, id.slice(0, 2), id);
  }

  async put(accountId: AccountId, id: ChunkId, bytes: Uint8Array): Promise<void> {
    const target = this.path(accountId, id);
    await this.ensureDir(dirname(target));
    await this.ensureDir(this.tmp);
    const temp = join(this.tmp, `${randomUUID()}.part`);
    const file = await open(temp, 'wx', 0o600);
    try {
      await file.writeFile(bytes);
      await file.sync();
    } catch (e) {
      await file.close();
      await unlink(temp).catch(() => undefined);
      throw e;
    }
    await file.close();
    await rename(temp, target);
    await fsyncDir(dirname(target));
  }

  async get(accountId: AccountId, id: ChunkId): Promise<Bytes | undefined> {
    try {
      return asBytes(await readFile(this.path(accountId, id)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async delete(accountId: AccountId, id: ChunkId): Promise<void> {
    const target = this.path(accountId, id);
    try {
      await unlink(target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    await fsyncDir(dirname(target));
  }

  async deleteAccount(accountId: AccountId): Promise<number> {
    const dir = join(this.objects, accountId);
    let n = 0;
    try {
      for (const sub of await readdir(dir)) n += (await readdir(join(dir, sub))).length;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw e;
    }
    await rm(dir, { recursive: true, force: true });
    await fsyncDir(this.objects);
    return n;
  }

  async sweep(): Promise<number> {
    await this.ensureDir(this.tmp);
    const leftovers = await readdir(this.tmp);
    await Promise.all(leftovers.map((name) => unlink(join(this.tmp, name))));
    if (leftovers.length > 0) await fsyncDir(this.tmp);
    return leftovers.length;
  }

  /** mkdir -p, then fsync each directory that gained an entry, so the new path is durable. */
  private async ensureDir(dir: string): Promise<void> {
    if (this.knownDirs.has(dir)) return;
    const created = await mkdir(dir, { recursive: true });
    if (created) {
      // `created` is the first directory made; every parent from its parent down gained an entry.
      for (let d = dir; ; d = dirname(d)) {
        await fsyncDir(dirname(d));
        if (d === created) break;
      }
    }
    this.knownDirs.add(dir);
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
