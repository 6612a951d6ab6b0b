/**
 * Fuzzing the HTTP API: fast-check sends malformed bodies, headers, path ids and body sizes to
 * every route, signed in and not, on both backends. Whatever arrives, the server must answer
 * below 500 with a JSON error body (`{ error: { code, message } }`) for every 4xx, stay up, log no
 * internal error and leave no promise rejection unhandled.
 *
 * The server runs with small chunk and JSON limits so bodies just over them stay cheap, and with
 * rate limits raised so the fuzzer reaches the routes' handlers rather than a 429.
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AccountId } from '../../src/core/ids.ts';
import { pseudoRandomBytes } from '../core/helpers.ts';
import { BACKENDS, b64, digestOf, register, request, startServer, type Account, type Backend, type TestServer } from './harness.ts';
import {
  RUNS,
  TIMEOUT,
  MAX_CHUNK,
  MAX_JSON,
  MAX_SNAPSHOT,
  SEED_CHUNK_SIZE,
  encodePart,
  hex,
  hex32,
  hex64,
  sha256Hex,
  rawText,
  jsonBodies,
  headerJunk,
  extraHeaders,
  pathIds,
  ranges,
  digestVariants,
  digestHeader,
  STAND_IN_TOKEN,
  pointAt,
  authModes,
  deviceName,
  deviceInfo,
  validRegistration,
  snapshotBody,
  type AuthMode,
} from './fuzz-inputs.ts';

// ---------------------------------------------------------------------------------------------

interface Req {
  readonly method: string;
  readonly path: string;
  readonly body?: string | Uint8Array | undefined;
  readonly headers?: Record<string, string>;
  readonly auth: AuthMode;
  /** Send the body as a chunked stream (no Content-Length). */
  readonly stream?: boolean;
}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Uint8Array;
  readonly text: string;
}

const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}…[${s.length} chars]` : s);

function describeReq(req: Req): string {
  const body =
    req.body === undefined ? 'no body' : typeof req.body === 'string' ? `body ${clip(JSON.stringify(req.body))}` : `${req.body.length} raw bytes`;
  const headers = JSON.stringify(Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k, clip(v, 120)])));
  const auth = req.auth.kind === 'junk' ? `authorization ${clip(JSON.stringify(req.auth.header), 120)}` : `auth ${req.auth.kind}`;
  return `${req.method} ${clip(req.path, 200)} (${auth}; headers ${headers}; ${body}${req.stream ? ', streamed' : ''})`;
}

function isErrorBody(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const error = (value as { error?: unknown }).error;
  if (error === null || typeof error !== 'object') return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && code.length > 0 && typeof message === 'string' && message.length > 0;
}

describe.each<Backend>(BACKENDS)('fuzzing the API on the %s backend', (backend) => {
  let server: TestServer;
  /** The account most routes are fuzzed as. */
  let main: Account;
  /** A second account whose email never changes: sign-ins, sign-outs and device revocation. */
  let helper: Account;
  let seedSnapshot: string;
  const chunkIds: string[] = [];
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };
  const serverErrors: string[] = [];
  let errorSpy: { mockRestore(): void } | undefined;

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    const consoleError = console.error.bind(console);
    errorSpy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      serverErrors.push(args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(' '));
      consoleError(...args);
    });
    server = await startServer({
      backend,
      config: {
        maxChunkBytes: MAX_CHUNK,
        maxJsonBytes: MAX_JSON,
        maxSnapshotBytes: MAX_SNAPSHOT,
        rateLimits: { signInPerIpPerMinute: 1e9, signInPerEmailPerMinute: 1e9, registerPerIpPerHour: 1e9 },
      },
    });
    main = await register(server);
    helper = await register(server);
    for (const size of [SEED_CHUNK_SIZE, 1, MAX_CHUNK]) {
      const bytes = pseudoRandomBytes(size, size);
      const id = sha256Hex(`seed-${size}`);
      for (const account of [main, helper]) expect((await account.putChunk(id, bytes)).status).toBe(201);
      chunkIds.push(id);
    }
    seedSnapshot = sha256Hex('seed-snapshot').slice(0, 32);
    const res = await main.call('POST', '/snapshots', {
      id: seedSnapshot,
      kind: 'files',
      deviceId: main.deviceId,
      counter: 1,
      refs: chunkIds,
      sealed: b64(pseudoRandomBytes(100, 7)),
    });
    expect(res.status).toBe(201);
  }, TIMEOUT);

  afterAll(async () => {
    try {
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(200);
    } finally {
      await server?.close();
      // Give stray promises a turn to reject before counting.
      await new Promise((resolve) => setTimeout(resolve, 50));
      process.off('unhandledRejection', onRejection);
      errorSpy?.mockRestore();
    }
    expect(rejections, 'unhandled rejections').toEqual([]);
    expect(serverErrors, 'errors the server logged').toEqual([]);
  }, TIMEOUT);

  async function send(as: Account, req: Req): Promise<Response> {
    const headers: Record<string, string> = { ...req.headers };
    if (req.auth.kind === 'junk') headers.authorization = req.auth.header;
    if (req.auth.kind === 'valid') headers.authorization = `Bearer ${as.token}`;
    if (req.stream && req.body !== undefined) {
      const bytes = typeof req.body === 'string' ? new TextEncoder().encode(req.body) : req.body;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytes.length; at += 16 * 1024) controller.enqueue(bytes.slice(at, at + 16 * 1024));
          controller.close();
        },
      });
      return fetch(server.url + req.path, { method: req.method, headers, body, duplex: 'half' } as RequestInit);
    }
    if (req.auth.kind === 'valid') return as.call(req.method, req.path, req.body, headers);
    return request(server, req.method, req.path, req.body, headers);
  }

  /** Sends a request and checks the answer: below 500, and a JSON error body for every 4xx. */
  async function check(as: Account, req: Req): Promise<Answer> {
    let res: Response;
    let bytes: Uint8Array;
    try {
      res = await send(as, req);
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch (e) {
      throw new Error(`request failed (server crashed or dropped the connection): ${describeReq(req)}: ${String(e)}`, { cause: e });
    }
    const text = new TextDecoder().decode(bytes);
    const what = () => `${describeReq(req)} → ${res.status} ${clip(text)}`;
    if (res.status >= 500) throw new Error(`server error: ${what()}`);
    if (res.status >= 400 && req.method !== 'HEAD') {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new Error(`error body is not JSON: ${what()}`);
      }
      if (!isErrorBody(body)) throw new Error(`error body is not {error:{code,message}}: ${what()}`);
    }
    return { status: res.status, headers: res.headers, bytes, text };
  }

  /** A new session of the helper's on `deviceId` (a new device if unknown); its token. */
  async function signIn(deviceId: string): Promise<string> {
    const res = await check(helper, {
      method: 'POST',
      path: '/sessions',
      body: JSON.stringify({ email: helper.reg.email, authKey: helper.reg.authKey, device: { id: deviceId, name: 'Spare', model: '' } }),
      headers: { 'content-type': 'application/json' },
      auth: { kind: 'none' },
    });
    expect(res.status).toBe(201);
    return (JSON.parse(res.text) as { token: string }).token;
  }

  async function expectHealthy(): Promise<void> {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
    // The fuzzed sessions still work: nothing revoked or broke them.
    expect((await main.call('GET', '/account')).status).toBe(200);
    expect((await helper.call('GET', '/account')).status).toBe(200);
  }

  async function fuzz<T>(arb: fc.Arbitrary<T>, run: (value: T) => Promise<void>, numRuns = RUNS): Promise<void> {
    await fc.assert(fc.asyncProperty(arb, run), { numRuns });
    await expectHealthy();
  }

  const jsonRoute = (
    method: string,
    path: string,
    valid: () => fc.Arbitrary<unknown> | undefined,
    as: () => Account = () => main,
  ) =>
    it(`${method} ${path}`, async () => {
      const account = as();
      await fuzz(
        fc.record({
          body: jsonBodies(valid(), MAX_JSON),
          headers: extraHeaders,
          auth: authModes(account.token),
          stream: fc.constantFrom(false, false, false, true),
        }),
        async ({ body, headers, auth, stream }) => {
          await check(account, { method, path, body, headers, auth, stream });
        },
      );
    }, TIMEOUT);

  it('GET /health', async () => {
    await fuzz(
      fc.record({ query: fc.string({ maxLength: 50 }), headers: extraHeaders, auth: authModes(main.token), head: fc.boolean() }),
      async ({ query, headers, auth, head }) => {
        const res = await check(main, { method: head ? 'HEAD' : 'GET', path: `/health?${encodePart(query)}`, headers, auth });
        expect(res.status).toBe(200);
      },
      Math.ceil(RUNS / 2),
    );
  }, TIMEOUT);

  jsonRoute('POST', '/accounts', () => validRegistration);
  jsonRoute('POST', '/sessions/params', () =>
    fc.record({ email: fc.oneof(fc.constant(helper.reg.email), fc.constant(helper.reg.email.toUpperCase()), fc.emailAddress()) }),
  );
  jsonRoute(
    'POST',
    '/sessions',
    () =>
      fc.oneof(
        fc.record({ email: fc.constant(helper.reg.email), authKey: fc.constant(helper.reg.authKey), device: deviceInfo }),
        fc.record({ email: fc.constant(helper.reg.email), recoveryAuthKey: fc.constant(helper.reg.recoveryAuthKey), device: deviceInfo }),
        fc.record({ email: fc.emailAddress(), authKey: fc.uint8Array({ minLength: 32, maxLength: 32 }).map(b64), device: deviceInfo }),
      ),
    () => helper,
  );

  it('DELETE /sessions/current', async () => {
    await fuzz(
      fc.record({
        body: fc.option(rawText, { nil: undefined }),
        headers: extraHeaders,
        // Junk made from a stand-in token, then pointed at the session made for this run: a
        // header fetch trims ("Bearer <token> ") still signs its session out.
        auth: authModes(STAND_IN_TOKEN),
      }),
      async ({ body, headers, auth: junkAuth }) => {
        // Sign out a session of its own, never the helper's main one.
        const token = await signIn(helper.deviceId);
        const as = { ...helper, token };
        const auth = pointAt(junkAuth, token);
        await check(as, { method: 'DELETE', path: '/sessions/current', body, headers, auth });
        // Again, now that it may be gone.
        await check(as, { method: 'DELETE', path: '/sessions/current', auth: { kind: 'valid' } });
      },
    );
  }, TIMEOUT);

  it('GET /account and GET /devices', async () => {
    await fuzz(
      fc.record({
        path: fc.constantFrom('/account', '/devices', '/account/', '/devices/', '/account//', '//account'),
        query: fc.option(fc.oneof(fc.string(), headerJunk), { nil: undefined }),
        headers: extraHeaders,
        auth: authModes(main.token),
        head: fc.boolean(),
      }),
      async ({ path, query, headers, auth, head }) => {
        const q = query === undefined ? '' : `?${encodePart(query)}`;
        await check(main, { method: head ? 'HEAD' : 'GET', path: path + q, headers, auth });
      },
    );
  }, TIMEOUT);

  jsonRoute('PATCH', '/account', () =>
    fc.record({ email: fc.oneof(fc.emailAddress(), hex(8).map((t) => `fuzz-${t}@example.com`), fc.constant(helper.reg.email)) }),
  );

  it('PATCH /devices/:id', async () => {
    await fuzz(
      fc.record({
        id: pathIds(32, [main.deviceId]),
        body: jsonBodies(fc.record({ name: deviceName }), MAX_JSON),
        headers: extraHeaders,
        auth: authModes(main.token),
      }),
      async ({ id, body, headers, auth }) => {
        await check(main, { method: 'PATCH', path: `/devices/${id}`, body, headers, auth });
      },
    );
  }, TIMEOUT);

  it('DELETE /devices/:id', async () => {
    await fuzz(
      fc.record({
        spare: hex32,
        id: pathIds(32, []),
        useSpare: fc.boolean(),
        body: fc.option(rawText, { nil: undefined }),
        headers: extraHeaders,
        auth: authModes(helper.token),
      }),
      async ({ spare, id, useSpare, body, headers, auth }) => {
        // A spare device of the helper's to revoke, so its main device stays signed in.
        await signIn(spare);
        const target = useSpare ? spare : id === helper.deviceId ? spare : id;
        await check(helper, { method: 'DELETE', path: `/devices/${target}`, body, headers, auth });
      },
    );
  }, TIMEOUT);

  jsonRoute('POST', '/chunks/missing', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => sha256Hex(`missing-${i}`));
    return fc.oneof(
      { weight: 8, arbitrary: fc.record({ ids: fc.array(fc.oneof(fc.constantFrom(...chunkIds), hex64), { maxLength: 20 }) }) },
      { weight: 1, arbitrary: fc.constantFrom(499, 500, 501, 1001).map((n) => ({ ids: [...many(n), ...chunkIds] })) },
      { weight: 1, arbitrary: fc.constantFrom(10_000, 10_001).map((n) => ({ ids: Array.from({ length: n }, () => chunkIds[0]) })) },
    );
  });

  it('PUT /chunks/:id', async () => {
    await fuzz(
      fc.record({
        id: pathIds(64, chunkIds),
        size: fc.oneof(
          fc.integer({ min: 0, max: MAX_CHUNK + 2048 }),
          fc.constantFrom(0, 1, 2, MAX_CHUNK - 1, MAX_CHUNK, MAX_CHUNK + 1, MAX_CHUNK + 4096),
        ),
        seed: fc.integer(),
        digest: digestVariants,
        digestJunk: headerJunk,
        stream: fc.boolean(),
        headers: extraHeaders,
        auth: authModes(main.token),
      }),
      async ({ id, size, seed, digest, digestJunk, stream, headers, auth }) => {
        const body = pseudoRandomBytes(size, seed);
        const all: Record<string, string> = { ...headers };
        delete all['content-digest'];
        const header = digestHeader(digest, body, digestJunk);
        if (header !== undefined) all['content-digest'] = header;
        const res = await check(main, { method: 'PUT', path: `/chunks/${id}`, body, headers: all, auth, stream });
        // A well-formed upload over the limit is refused as too large, not stored.
        if (size > MAX_CHUNK && res.status < 400) throw new Error(`stored ${size} bytes over the ${MAX_CHUNK}-byte limit`);
      },
    );
  }, TIMEOUT);

  it('GET /chunks/:id', async () => {
    await fuzz(
      fc.record({
        id: pathIds(64, chunkIds),
        range: fc.option(ranges, { nil: undefined }),
        head: fc.boolean(),
        headers: extraHeaders,
        auth: authModes(main.token),
      }),
      async ({ id, range, head, headers, auth }) => {
        const all: Record<string, string> = { ...headers };
        delete all.range;
        if (range !== undefined) all.range = range;
        const res = await check(main, { method: head ? 'HEAD' : 'GET', path: `/chunks/${id}`, headers: all, auth });
        if (res.status === 206 && !head) {
          const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
          if (!match) throw new Error(`206 without a Content-Range: ${id} ${range}`);
          const [start, end, size] = [Number(match[1]), Number(match[2]), Number(match[3])];
          const length = res.bytes.length;
          if (!(start <= end && end < size && length === end - start + 1)) throw new Error(`bad 206 for ${range}: ${match[0]} with ${length} bytes`);
        }
      },
    );
  }, TIMEOUT);

  it('POST /snapshots', async () => {
    // Each run commits as a new device of the helper's, so no earlier run's counter makes the
    // valid bodies stale.
    await fuzz(
      hex32.chain((device) =>
        fc.record({
          device: fc.constant(device),
          body: jsonBodies(snapshotBody(device, chunkIds), MAX_SNAPSHOT),
          headers: extraHeaders,
          auth: authModes(STAND_IN_TOKEN),
        }),
      ),
      async ({ device, body, headers, auth }) => {
        const token = await signIn(device);
        await check({ ...helper, token }, { method: 'POST', path: '/snapshots', body, headers, auth: pointAt(auth, token) });
      },
    );
  }, TIMEOUT);

  it('GET /snapshots', async () => {
    const value = fc.oneof(fc.constantFrom('files', 'records', 'FILES', '', 'files,records'), fc.constant(main.deviceId), hex32, fc.string(), headerJunk);
    const key = fc.oneof(fc.constantFrom('kind', 'deviceId', 'kind[]', 'deviceid', '__proto__', 'constructor', 'toString', ''), fc.string());
    await fuzz(
      fc.record({
        query: fc.oneof(
          // Well-formed filters, sometimes with one more pair.
          fc
            .record(
              {
                kind: fc.constantFrom('files', 'records'),
                deviceId: fc.oneof(fc.constant(main.deviceId), hex32),
                extra: fc.tuple(key, value),
              },
              { requiredKeys: [] },
            )
            .map(({ kind, deviceId, extra }) =>
              new URLSearchParams([
                ...(kind === undefined ? [] : [['kind', kind]]),
                ...(deviceId === undefined ? [] : [['deviceId', deviceId]]),
                ...(extra === undefined ? [] : [extra]),
              ]).toString(),
            ),
          fc.array(fc.tuple(key, value), { maxLength: 4 }).map((pairs) => new URLSearchParams(pairs).toString()),
          fc.string({ unit: 'grapheme-ascii' }),
          fc.constantFrom('kind', 'kind=', '&&&', '=', '%', '%zz', 'kind=%ff', 'kind=files&kind=records', 'deviceId=%00', 'kind=files&kind'),
        ),
        headers: extraHeaders,
        auth: authModes(main.token),
      }),
      async ({ query, headers, auth }) => {
        await check(main, { method: 'GET', path: `/snapshots?${query}`, headers, auth });
      },
    );
  }, TIMEOUT);

  it('GET and DELETE /snapshots/:id', async () => {
    await fuzz(
      fc.record({
        method: fc.constantFrom('GET', 'GET', 'HEAD', 'DELETE'),
        id: pathIds(32, [seedSnapshot]),
        body: fc.option(rawText, { nil: undefined }),
        headers: extraHeaders,
        auth: authModes(main.token),
      }),
      async ({ method, id, body, headers, auth }) => {
        await check(main, { method, path: `/snapshots/${id}`, body: method === 'DELETE' ? body : undefined, headers, auth });
      },
    );
  }, TIMEOUT);

  it('any method on any route, several at once', async () => {
    const paths = fc.oneof(
      fc.constantFrom(
        '/health', '/accounts', '/sessions/params', '/sessions', '/sessions/current', '/account', '/devices', '/chunks/missing',
        '/snapshots', '', '/', '/nope', '/../../etc/passwd', '/%2e%2e/%2e%2e/', '/api/v1/health',
      ),
      fc.tuple(fc.constantFrom('/devices/', '/chunks/', '/snapshots/', '/sessions/', '/accounts/', '/account/'), fc.string({ maxLength: 70 })).map(
        ([p, id]) => p + encodePart(id),
      ),
      fc.tuple(fc.constantFrom('/devices/', '/snapshots/'), fc.constantFrom(main.deviceId, seedSnapshot)).map(([p, id]) => p + id),
      fc.constantFrom(...chunkIds).map((id) => `/chunks/${id}`),
    );
    const one = fc.record({
      method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
      path: paths,
      body: jsonBodies(undefined, MAX_JSON),
      headers: extraHeaders,
      auth: authModes(main.token),
    });
    await fuzz(fc.array(one, { minLength: 1, maxLength: 6 }), async (reqs) => {
      await Promise.all(
        reqs.map(({ method, path, body, headers, auth }) => {
          // Never sign the main session out or revoke its device (junk such as "Bearer <token> "
          // is trimmed into a valid header by fetch): the later runs need them.
          const safeAuth: AuthMode =
            method === 'DELETE' && (path.startsWith('/sessions') || path.startsWith('/devices')) ? { kind: 'none' } : auth;
          return check(main, {
            method,
            path,
            body: method === 'GET' || method === 'HEAD' ? undefined : body,
            headers,
            auth: safeAuth,
          });
        }),
      );
    });
  }, TIMEOUT);
  /**
   * Bodies cut off mid-way: the request declares more bytes than the client sends (Content-Length
   * or a chunk size), then the client half-closes or drops the connection, as a phone losing its
   * network does. Nobody reads the answer, so this looks at what the server did: no 5xx in the
   * access log, no internal error logged, still healthy.
   */
  it('bodies cut off mid-way (the client disconnects)', async () => {
    const { hostname, port } = new URL(server.url);
    // Each run moves the clock on a millisecond, so its access-log rows are the ones at that time.
    const accessLog = async (time: number) =>
      (await server.deps.meta.listAccessLog(main.accountId as AccountId, 20)).filter((row) => row.time === time);
    await fuzz(
      fc.record({
        route: fc.constantFrom('PUT /chunks/:id', 'POST /snapshots', 'POST /chunks/missing', 'PATCH /account', 'PATCH /devices/:id'),
        id: hex64,
        declared: fc.oneof(fc.integer({ min: 1, max: MAX_CHUNK }), fc.constantFrom(1, 2, 1000, MAX_CHUNK)),
        fraction: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        chunked: fc.boolean(),
        hangUp: fc.constantFrom('end' as const, 'destroy' as const),
      }),
      async ({ route, id, declared, fraction, chunked, hangUp }) => {
        const [method, pattern] = route.split(' ') as [string, string];
        const path = `/api/v1${pattern.replace(':id', pattern.startsWith('/chunks') ? id : main.deviceId)}`;
        const sent = Math.floor(declared * fraction); // always fewer than declared
        const body = pseudoRandomBytes(declared, declared);
        const framing = chunked ? `Transfer-Encoding: chunked\r\n` : `Content-Length: ${declared}\r\n`;
        const head =
          `${method} ${path} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${main.token}\r\n` +
          `Content-Type: ${method === 'PUT' ? 'application/octet-stream' : 'application/json'}\r\n` +
          `Content-Digest: ${digestOf(body)}\r\n${framing}\r\n${chunked ? `${declared.toString(16)}\r\n` : ''}`;
        const what = `${method} ${path} with ${chunked ? `a ${declared}-byte chunk` : `Content-Length: ${declared}`}, ${sent} body bytes sent, then the client ${hangUp === 'end' ? 'half-closes' : 'drops'} the connection`;

        server.advance(1);
        const time = server.deps.now();
        const errorsBefore = serverErrors.length;
        await new Promise<void>((resolve) => {
          const socket = connect(Number(port), hostname, () => {
            socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body.subarray(0, sent)]), () => {
              // A moment for the request to reach the app before the hang-up.
              setTimeout(() => (hangUp === 'end' ? socket.end() : socket.destroy()), 5);
            });
          });
          socket.on('error', () => undefined);
          socket.on('close', () => resolve());
          socket.resume();
        });
        // The server notices the hang-up asynchronously: wait a while for this request's
        // access-log row or a logged error (a request that never reached the app has neither).
        let rows = await accessLog(time);
        for (let waited = 0; rows.length === 0 && serverErrors.length === errorsBefore && waited < 150; waited += 10) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          rows = await accessLog(time);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
        const statuses = (await accessLog(time)).map((row) => row.status);
        // Errors this run logged are reported here rather than again after all tests.
        const logged = serverErrors.splice(errorsBefore);
        if (statuses.some((status) => status >= 500) || logged.length > 0) {
          throw new Error(`${what}: access-log statuses [${statuses.join(', ')}], server logged: ${clip(logged.join(' | '), 400)}`);
        }
      },
    );
  }, TIMEOUT);
});
