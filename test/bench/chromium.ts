/**
 * Runs a benchmark page in Debian's Chromium, launched directly with the test flags and a fresh
 * profile (never under Playwright/CDP: DESIGN.md section 9), and returns what the page posts.
 *
 * `openInChromium` is the shared piece: a Vite dev server (so pages import src/ directly) with a
 * receiver at /__bench (the result, once) and /__bench/log (progress lines, printed as they come),
 * optionally answering /api with a Kura app and serving COOP/COEP so the page is cross-origin
 * isolated. `chromiumBench` is the core benchmark in a worker (chromium-page.html).
 */
import { spawn } from 'node:child_process';
import type { RequestListener } from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Plugin } from 'vite';
import { CHROMIUM, CHROMIUM_ARGS, PREBUNDLED } from '../e2e/harness.ts';

export interface PageOptions {
  /** Query parameters for the page (and its worker, which gets the same search string). */
  readonly query?: Record<string, string | number>;
  /**
   * Answers /api (a Kura app's Node request listener), so the page calls it from its own origin.
   * Mounted in the dev server itself rather than proxied: a proxy hop in the same process cost
   * uploads here about a third of their speed, and production serves app and API from one server.
   */
  readonly api?: RequestListener;
  /** Serve COOP/COEP, making the page cross-origin isolated (measureUserAgentSpecificMemory). */
  readonly isolated?: boolean;
  readonly extraArgs?: readonly string[];
  readonly timeoutMinutes?: number;
  /** Called with each line the page posts to /__bench/log. */
  readonly onLog?: (line: string) => void;
}

/** False (after saying so) when there is no Chromium to run in-browser benchmarks. */
export function haveChromium(what: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  console.log(`(Chromium not found at ${CHROMIUM}: ${what} skipped)`);
  return false;
}

export async function openInChromium<T>(page: string, options: PageOptions = {}): Promise<T> {
  let settle!: (body: { result?: T; error?: string }) => void;
  const posted = new Promise<{ result?: T; error?: string }>((resolve) => (settle = resolve));
  const receiver: Plugin = {
    name: 'kura-bench-receiver',
    configureServer(server) {
      if (options.isolated) {
        server.middlewares.use((_req, res, next) => {
          res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
          res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
          next();
        });
      }
      const api = options.api;
      if (api) server.middlewares.use((req, res, next) => (req.url?.startsWith('/api/') ? api(req, res) : next()));
      server.middlewares.use('/__bench', (req, res) => {
        let body = '';
        req.on('data', (part: Buffer) => (body += part));
        req.on('end', () => {
          res.end('ok');
          if (req.url?.startsWith('/log')) options.onLog?.(body);
          else settle(JSON.parse(body));
        });
      });
    },
  };
  const server = await createServer({
    logLevel: (process.env.KURA_BENCH_VITE_LOG as 'info' | undefined) ?? 'error',
    plugins: [receiver],
    server: { host: '127.0.0.1', port: 0, hmr: false },
    // Pre-bundled up front, so a late discovery cannot reload the page in the middle of a run.
    optimizeDeps: { include: PREBUNDLED },
  });
  await server.listen();
  const profile = mkdtempSync(join(tmpdir(), 'kura-bench-'));
  const search = new URLSearchParams(Object.entries(options.query ?? {}).map(([k, v]) => [k, String(v)]));
  const url = `${server.resolvedUrls!.local[0]}${page}?${search}`;
  const browser = spawn(CHROMIUM, [...CHROMIUM_ARGS, ...(options.extraArgs ?? []), `--user-data-dir=${profile}`, url], { stdio: 'ignore' });
  const minutes = options.timeoutMinutes ?? 10;
  const timeout = setTimeout(() => settle({ error: `no result within ${minutes} minutes` }), minutes * 60_000);
  browser.once('exit', (code) => settle({ error: `Chromium exited (${code}) before posting a result` }));
  try {
    const { result, error } = await posted;
    if (error || !result) throw new Error(`Chromium benchmark ${page} failed: ${error}`);
    return result;
  } finally {
    clearTimeout(timeout);
    if (browser.exitCode === null && browser.signalCode === null) {
      const exited = new Promise((resolve) => browser.once('exit', resolve));
      browser.kill();
      await exited; // Chromium writes to its profile until it is gone
    }
    await server.close();
    await removeProfile(profile);
  }
}

/** Chromium's helper processes can still write to the profile for a moment after it exits. */
async function removeProfile(profile: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
      return;
    } catch (e) {
      if (attempt >= 20) return void console.error(`(could not remove the Chromium profile ${profile}: ${e})`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

export async function chromiumBench(mib: number, rounds: number): Promise<Record<string, number> | undefined> {
  if (!haveChromium('the in-browser figures are')) return undefined;
  return openInChromium<Record<string, number>>('test/bench/chromium-page.html', { query: { mib, rounds } });
}
