/**
 * The open-source notices the About section lists, generated when the app is built rather than
 * written by hand: the production dependencies in package.json that run in the browser, and the
 * packages they in turn bring into the bundle, each with the version and licence its own
 * package.json declares in node_modules. Served to the app as the virtual module
 * `virtual:kura-notices` (typed in src/virtual-notices.d.ts).
 *
 * Two kinds of package are left out, each by name so the choice stays visible:
 * - SERVER_ONLY: dependencies that only the Node server loads (its database drivers, S3, HTTP);
 * - BUILD_ONLY: what svelte and svelte-i18n depend on for compiling and their command lines
 *   (parsers, source maps, esbuild…), which never reach the browser. A package counts only through
 *   a path of runtime packages, so everything that only these reach drops out too.
 * Type-only packages (`@types/*`) carry no code and are skipped likewise.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import type { Plugin } from 'vite';

export interface Notice {
  readonly name: string;
  readonly version: string;
  readonly licence: string;
}

export const SERVER_ONLY: ReadonlySet<string> = new Set(['better-sqlite3', 'pg', '@aws-sdk/client-s3', 'hono', '@hono/node-server']);

export const BUILD_ONLY: ReadonlySet<string> = new Set([
  // svelte: the compiler's parser, printer, source maps and a11y tables
  '@jridgewell/remapping',
  '@jridgewell/sourcemap-codec',
  '@sveltejs/acorn-typescript',
  'acorn',
  'aria-query',
  'axobject-query',
  'esrap',
  'is-reference',
  'locate-character',
  'magic-string',
  'zimmerframe',
  // svelte-i18n: its `svelte-i18n extract` command line
  'cli-color',
  'esbuild',
  'estree-walker',
  'sade',
  'tiny-glob',
]);

export const VIRTUAL_ID = 'virtual:kura-notices';
const RESOLVED_ID = '\0' + VIRTUAL_ID;

interface Manifest {
  name?: string;
  version?: string;
  license?: string | { type?: string };
  licenses?: { type?: string }[];
  dependencies?: Record<string, string>;
}

/** The notices for the app rooted at `root` (the folder holding package.json), sorted by name. */
export function collectNotices(root: string): Notice[] {
  const app = readManifest(join(root, 'package.json'));
  const found = new Map<string, Notice>();
  const visit = (name: string, from: string): void => {
    if (SERVER_ONLY.has(name) || BUILD_ONLY.has(name) || name.startsWith('@types/')) return;
    const file = locate(name, from);
    if (!file) throw new Error(`licence notices: ${name} (needed from ${from}) is not installed; run npm ci`);
    const manifest = readManifest(file);
    const version = manifest.version ?? '';
    const key = `${name}@${version}`;
    if (found.has(key)) return;
    found.set(key, { name, version, licence: licenceOf(manifest, name) });
    for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency, dirname(file));
  };
  for (const name of Object.keys(app.dependencies ?? {})) visit(name, root);
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name, 'en') || a.version.localeCompare(b.version, 'en'));
}

/** The Vite plugin: `import notices from 'virtual:kura-notices'` gives `Notice[]`. */
export function licenceNotices(options: { root?: string } = {}): Plugin {
  let root = options.root;
  return {
    name: 'kura-licence-notices',
    configResolved(config) {
      root ??= config.root;
    },
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      const base = root ?? process.cwd();
      this.addWatchFile(join(base, 'package.json'));
      return `export default ${JSON.stringify(collectNotices(base))};\n`;
    },
  };
}

/** Node's lookup: node_modules/<name> in `from` and then in each folder above it. */
function locate(name: string, from: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dir === parse(dir).root) return undefined;
    dir = dirname(dir);
  }
}

function readManifest(file: string): Manifest {
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

/** The SPDX expression, from `license` or the older `license: {type}` and `licenses: [...]`. */
function licenceOf(manifest: Manifest, name: string): string {
  const { license, licenses } = manifest;
  const text = typeof license === 'string' ? license : license?.type ?? licenses?.map((l) => l.type).filter(Boolean).join(' OR ');
  if (!text) throw new Error(`licence notices: ${name} declares no licence in its package.json`);
  return text;
}
