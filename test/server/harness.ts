/**
 * Server test harness: the real app on a real HTTP socket (ephemeral loopback port), on whichever
 * stores a test passes, with a controllable clock; and a small protocol client that makes valid
 * registrations and sign-ins without running Argon2 (the server never sees how keys were derived).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { toBase64Url } from '../../src/core/bytes.ts';
import { newAccountId, newDeviceId, newSnapshotId, type ChunkId } from '../../src/core/ids.ts';
import { API_PREFIX, contentDigestHeader } from '../../src/core/protocol.ts';
import { createApp } from '../../server/app.ts';
import { loadConfig, type ServerConfig } from '../../server/config.ts';
import { newReceiptKey } from '../../server/privacy/receipts.ts';
import type { Deps } from '../../server/http/context.ts';
import { FsObjectStore } from '../../server/storage/fs-objects.ts';
import { MemoryMetaStore } from '../../server/storage/memory-meta.ts';
import { MemoryObjectStore } from '../../server/storage/memory-objects.ts';
import type { MetaStore, ObjectStore } from '../../server/storage/ports.ts';
import { PostgresMetaStore } from '../../server/storage/postgres-meta.ts';
import { S3ObjectStore } from '../../server/storage/s3-objects.ts';
import { SqliteMetaStore } from '../../server/storage/sqlite-meta.ts';
import { createTestDatabase, TEST_DATABASE_URL } from './postgres-db.ts';

/**
 * 'postgres': a throwaway database on KURA_TEST_DATABASE_URL, plus the file-system object store.
 * 'scaled': the same database with chunks in the S3 server of KURA_TEST_S3_* (under a prefix of
 * its own in the test bucket), as a scaled-out deployment runs.
 */
export type Backend = 'memory' | 'embedded' | 'postgres' | 'scaled';

const S3_TEST = process.env.KURA_TEST_S3_ENDPOINT
  ? {
      endpoint: process.env.KURA_TEST_S3_ENDPOINT,
      bucket: process.env.KURA_TEST_S3_BUCKET || 'kura-test',
      region: process.env.KURA_TEST_S3_REGION || 'us-east-1',
      accessKeyId: process.env.KURA_TEST_S3_ACCESS_KEY ?? '',
      secretAccessKey: process.env.KURA_TEST_S3_SECRET_KEY ?? '',
    }
  : undefined;

/** The backends the HTTP suites run on: PostgreSQL, and PostgreSQL with S3, when their servers are set. */
export const BACKENDS: readonly Backend[] = [
  'memory',
  'embedded',
  ...(TEST_DATABASE_URL ? (['postgres'] as const) : []),
  ...(TEST_DATABASE_URL && S3_TEST ? (['scaled'] as const) : []),
];

export interface TestServer {
  /** The API's base URL, ending in /api/v1. */
  readonly url: string;
  /** The server's origin, for clients that add /api/v1 themselves. */
  readonly origin: string;
  readonly deps: Deps;
  /** Moves the server's clock. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export async function makeStores(backend: Backend): Promise<{ meta: MetaStore; objects: ObjectStore; cleanup: () => Promise<void> }> {
  if (backend === 'memory') return { meta: new MemoryMetaStore(), objects: new MemoryObjectStore(), cleanup: async () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'kura-test-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  if (backend === 'postgres' || backend === 'scaled') {
    const db = await createTestDatabase();
    const meta = await PostgresMetaStore.open(db.url);
    const s3 = backend === 'scaled' ? new S3ObjectStore({ ...S3_TEST!, prefix: `test-${randomBytes(8).toString('hex')}` }) : undefined;
    return {
      meta,
      objects: s3 ?? new FsObjectStore(dir),
      cleanup: async () => {
        s3?.destroy();
        await db.drop();
        removeDir();
      },
    };
  }
  return { meta: new SqliteMetaStore(join(dir, 'kura.sqlite')), objects: new FsObjectStore(dir), cleanup: async () => removeDir() };
}

export async function startServer(
  options: {
    backend?: Backend;
    config?: Partial<ServerConfig>;
    stores?: { meta: MetaStore; objects: ObjectStore };
    deps?: Partial<Pick<Deps, 'mailer' | 'policies'>>;
  } = {},
): Promise<TestServer> {
  const made = options.stores ? { ...options.stores, cleanup: async () => undefined } : await makeStores(options.backend ?? 'memory');
  let clock = Date.UTC(2026, 10, 29, 12);
  const config: ServerConfig = { ...loadConfig({}, 'test'), staticDir: '/nonexistent', ...options.config };
  const deps: Deps = { meta: made.meta, objects: made.objects, config, secret: randomBytes(32), now: () => clock, receiptKey: newReceiptKey(), ...options.deps };
  const app = createApp(deps);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${API_PREFIX}`,
    origin: `http://127.0.0.1:${port}`,
    deps,
    advance: (ms) => {
      clock += ms;
    },
    close: async () => {
      // Browsers keep connections open (keep-alive, a page still syncing): a test server closes now.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await closed;
      await made.meta.close();
      await made.cleanup();
    },
  };
}

export const b64 = (bytes: Uint8Array): string => toBase64Url(bytes);
export const randomChunkId = (): ChunkId => randomBytes(32).toString('hex') as ChunkId;
export const digestOf = (body: Uint8Array): string => contentDigestHeader(createHash('sha256').update(body).digest('base64'));

export function registration(overrides: Record<string, unknown> = {}) {
  return {
    accountId: newAccountId(),
    email: `user-${randomBytes(6).toString('hex')}@example.com`,
    kdf: { alg: 'argon2id', m: 262144, t: 3, p: 1, salt: b64(randomBytes(16)) },
    authKey: b64(randomBytes(32)),
    recoveryAuthKey: b64(randomBytes(32)),
    wrappedMasterKey: b64(randomBytes(61)),
    wrappedRecoveryKey: b64(randomBytes(61)),
    device: { id: newDeviceId(), name: 'Laptop', model: 'Chromebook' },
    ...overrides,
  };
}

/** A POST /snapshots body: a files snapshot with a fresh id and a random sealed manifest. */
export function snapshotBody(deviceId: string, counter: number, refs: readonly string[], overrides: Record<string, unknown> = {}) {
  return { id: newSnapshotId(), kind: 'files', deviceId, counter, refs, sealed: b64(randomBytes(64)), ...overrides };
}

export interface Account {
  readonly reg: ReturnType<typeof registration>;
  readonly token: string;
  readonly accountId: string;
  readonly deviceId: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  putChunk(id: string, body: Uint8Array, headers?: Record<string, string>): Promise<Response>;
}

/** Sends a request to the API; `body` objects are JSON-encoded, strings and bytes sent as they are. */
export function request(server: TestServer, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body instanceof Uint8Array || typeof body === 'string') init.body = body as BodyInit;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  return fetch(server.url + path, init);
}

export async function register(server: TestServer, overrides: Record<string, unknown> = {}): Promise<Account> {
  const reg = registration(overrides);
  const res = await request(server, 'POST', '/accounts', reg);
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${await res.text()}`);
  const { token, accountId } = (await res.json()) as { token: string; accountId: string };
  return accountFor(server, reg, token, accountId, reg.device.id);
}

export function accountFor(server: TestServer, reg: ReturnType<typeof registration>, token: string, accountId: string, deviceId: string): Account {
  const auth = { authorization: `Bearer ${token}` };
  return {
    reg,
    token,
    accountId,
    deviceId,
    call: (method, path, body, headers = {}) => request(server, method, path, body, { ...auth, ...headers }),
    putChunk: (id, body, headers = {}) =>
      request(server, 'PUT', `/chunks/${id}`, body, { ...auth, 'content-digest': digestOf(body), 'content-type': 'application/octet-stream', ...headers }),
  };
}
