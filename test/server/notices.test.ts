/**
 * The licence notices come from the real node_modules: every browser dependency with the version
 * and licence its package.json declares, what those bring into the bundle, and nothing that only
 * the server or the build uses.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { collectNotices, licenceNotices, VIRTUAL_ID } from '../../server/build/notices.ts';

const root = join(import.meta.dirname, '../..');
const installed = (name: string) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string; license: string };

describe('collectNotices', () => {
  const notices = collectNotices(root);
  const names = notices.map((n) => n.name);

  test('lists each browser dependency with its installed version and licence', () => {
    for (const name of ['svelte', 'svelte-i18n', 'dexie', 'comlink', 'idb-keyval', 'workbox-window', '@zip.js/zip.js', 'mediabunny', 'hash-wasm', 'zod', 'exifr', '@zxcvbn-ts/core']) {
      const { version, license } = installed(name);
      expect(notices, name).toContainEqual({ name, version, licence: license });
    }
    expect(notices.find((n) => n.name === 'mediabunny')?.licence).toBe('MPL-2.0');
  });

  test('includes what the runtime packages bring with them', () => {
    expect(names).toEqual(expect.arrayContaining(['intl-messageformat', 'workbox-core', '@tanstack/virtual-core', 'esm-env']));
  });

  test('leaves out server-only, build-only and type-only packages', () => {
    for (const name of ['better-sqlite3', 'pg', '@aws-sdk/client-s3', 'hono', '@hono/node-server', 'acorn', 'esbuild', 'magic-string', 'cli-color', 'vite', 'vitest'])
      expect(names, name).not.toContain(name);
    expect(names.filter((n) => n.startsWith('@types/'))).toEqual([]);
    // Nothing the AWS SDK pulls in slips through another way.
    expect(names.filter((n) => n.startsWith('@aws-sdk/') || n.startsWith('@smithy/'))).toEqual([]);
  });

  test('is sorted by name, without duplicates, and every entry has a version and a licence', () => {
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
    expect(new Set(notices.map((n) => `${n.name}@${n.version}`)).size).toBe(notices.length);
    for (const n of notices) {
      expect(n.version, n.name).toMatch(/^\d+\.\d+\.\d+/);
      expect(n.licence, n.name).not.toBe('');
    }
  });
});

describe('a made-up app', () => {
  const app = mkdtempSync(join(tmpdir(), 'kura-notices-'));
  const write = (path: string, manifest: object) => {
    mkdirSync(join(app, path), { recursive: true });
    writeFileSync(join(app, path, 'package.json'), JSON.stringify(manifest));
  };
  write('.', { name: 'app', dependencies: { a: '1', pg: '1' } });
  write('node_modules/a', { name: 'a', version: '1.0.0', license: { type: 'MIT' }, dependencies: { b: '2', '@types/x': '1' } });
  // a nested copy wins over the hoisted one, as Node resolves it
  write('node_modules/a/node_modules/b', { name: 'b', version: '2.0.0', licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] });
  write('node_modules/b', { name: 'b', version: '1.0.0', license: 'ISC' });
  afterAll(() => rmSync(app, { recursive: true, force: true }));

  test('reads old licence fields and resolves nested copies', () => {
    expect(collectNotices(app)).toEqual([
      { name: 'a', version: '1.0.0', licence: 'MIT' },
      { name: 'b', version: '2.0.0', licence: 'MIT OR Apache-2.0' },
    ]);
  });

  test('fails the build when a package is missing or declares no licence', () => {
    write('node_modules/a/node_modules/b', { name: 'b', version: '2.0.0' });
    expect(() => collectNotices(app)).toThrow(/b declares no licence/);
    write('.', { name: 'app', dependencies: { gone: '1' } });
    expect(() => collectNotices(app)).toThrow(/gone .*not installed/);
  });
});

describe('licenceNotices()', () => {
  test('serves the notices as the virtual module', async () => {
    const plugin = licenceNotices({ root });
    const resolveId = plugin.resolveId as (id: string) => string | undefined;
    const load = plugin.load as (this: { addWatchFile(f: string): void }, id: string) => string | undefined;
    const resolved = resolveId(VIRTUAL_ID);
    expect(resolved).toBe('\0virtual:kura-notices');
    expect(resolveId('svelte')).toBeUndefined();
    const watched: string[] = [];
    const code = load.call({ addWatchFile: (f) => watched.push(f) }, resolved!);
    expect(watched).toEqual([join(root, 'package.json')]);
    const module = (await import(`data:text/javascript,${encodeURIComponent(code!)}`)) as { default: unknown };
    expect(module.default).toEqual(collectNotices(root));
  });
});
