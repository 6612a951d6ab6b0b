/**
 * Runs chromium-worker.ts in Debian's Chromium, launched directly with the test flags and a fresh
 * profile (never under Playwright/CDP: DESIGN.md section 9), and returns what the worker posts.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Plugin } from 'vite';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/harness.ts';

export async function chromiumBench(mib: number, rounds: number): Promise<Record<string, number> | undefined> {
  if (!existsSync(CHROMIUM)) {
    console.log(`(Chromium not found at ${CHROMIUM}: the in-browser figures are skipped)`);
    return undefined;
  }
  let settle!: (body: { result?: Record<string, number>; error?: string }) => void;
  const posted = new Promise<{ result?: Record<string, number>; error?: string }>((resolve) => (settle = resolve));
  const receiver: Plugin = {
    name: 'kura-bench-receiver',
    configureServer(server) {
      server.middlewares.use('/__bench', (req, res) => {
        let body = '';
        req.on('data', (part: Buffer) => (body += part));
        req.on('end', () => {
          res.end('ok');
          settle(JSON.parse(body));
        });
      });
    },
  };
  const server = await createServer({
    logLevel: 'error',
    plugins: [receiver],
    server: { host: '127.0.0.1', port: 0, hmr: false },
    optimizeDeps: { include: ['hash-wasm', 'zod'] },
  });
  await server.listen();
  const profile = mkdtempSync(join(tmpdir(), 'kura-bench-'));
  const url = `${server.resolvedUrls!.local[0]}test/bench/chromium-page.html?mib=${mib}&rounds=${rounds}`;
  const browser = spawn(CHROMIUM, [...CHROMIUM_ARGS, `--user-data-dir=${profile}`, url], { stdio: 'ignore' });
  const timeout = setTimeout(() => settle({ error: 'no result within 10 minutes' }), 600_000);
  try {
    const { result, error } = await posted;
    if (error || !result) throw new Error(`Chromium benchmark failed: ${error}`);
    return result;
  } finally {
    clearTimeout(timeout);
    const exited = new Promise((resolve) => browser.once('exit', resolve));
    browser.kill();
    await exited; // Chromium writes to its profile until it is gone
    await server.close();
    rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
  }
}
