/**
 * The real server in a child process (node --import tsx server/main.ts), for tests that kill it:
 * started on an ephemeral port, ready once it says where it runs; every child still alive is
 * killed by killChildren().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { API_PREFIX } from '../../src/core/protocol.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const READY = /is running at http:\/\/[^/\s]+:(\d+)\//;
const READY_TIMEOUT_MS = 30_000;

/** A server child process, ready to serve. */
export interface Child {
  readonly process: ChildProcess;
  readonly url: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the child wrote to stdout and stderr so far. */
  output(): string;
}

const live = new Set<ChildProcess>();

export function killChildren(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}

/** Starts the server with these settings on top of the test's environment. */
export function startChild(env: Record<string, string>): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      KURA_SKIP_BUILD: '1',
      KURA_STATIC_DIR: '/nonexistent',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
  return new Promise<Child>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${READY_TIMEOUT_MS} ms:\n${output}`));
    }, READY_TIMEOUT_MS);
    let ready = false;
    child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      output += text;
      const port = READY.exec(output)?.[1];
      if (!ready && port !== undefined) {
        ready = true;
        clearTimeout(timer);
        resolve({ process: child, url: `http://127.0.0.1:${port}${API_PREFIX}`, exited, output: () => output });
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      output += text;
    });
    void exited.then(({ code, signal }) => {
      if (ready) return;
      clearTimeout(timer);
      reject(new Error(`server exited before it was ready (code ${code}, signal ${signal}):\n${output}`));
    });
  });
}
