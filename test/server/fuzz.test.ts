/**
 * Fuzzing the HTTP API: fast-check sends malformed bodies, headers, path ids and body sizes to
 * every route, signed in and not, on both backends. Whatever arrives, the server must answer
 * below 500 with a JSON error body (`{ error: { code, message } }`) for every 4xx, stay up, log no
 * internal error and leave no promise rejection unhandled.
 *
 * The server runs with small chunk and JSON limits so bodies just over them stay cheap, and with
 * rate limits raised so the fuzzer reaches the routes' handlers rather than a 429.
 */
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AccountId } from '../../src/core/ids.ts';
import { pseudoRandomBytes } from '../core/helpers.ts';
import { BACKENDS, b64, digestOf, register, registration, request, startServer, type Account, type Backend, type TestServer } from './harness.ts';

/** Runs per property; KURA_FUZZ_RUNS raises it for a longer local session. */
const RUNS = Number(process.env.KURA_FUZZ_RUNS) || 150;
const TIMEOUT = 120_000;
const MAX_CHUNK = 64 * 1024;
const MAX_JSON = 256 * 1024;
const MAX_SNAPSHOT = 512 * 1024;
const SEED_CHUNK_SIZE = 1000;

// ---------------------------------------------------------------------------------------------
// JSON with values JSON.stringify cannot write (numerals beyond a double, deep nesting).

/** Text spliced into the JSON as it is. */
class RawJson {
  constructor(readonly text: string) {}
}

function encodeJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(encodeJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${encodeJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RawJson);

/** Sets an own property, even one named `__proto__`. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

type Path = readonly (string | number)[];

function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

const REMOVE = Symbol('remove');

/** A copy of `value` with the node at `path` replaced by `f(node)` (or removed). */
function update(value: unknown, path: Path, f: (node: unknown) => unknown): unknown {
  if (path.length === 0) return f(value);
  const [head, ...rest] = path;
  const child = (node: unknown) => (rest.length === 0 ? f(node) : update(node, rest, f));
  if (Array.isArray(value) && typeof head === 'number') {
    const copy = [...(value as unknown[])];
    const next = child(copy[head]);
    if (next === REMOVE) copy.splice(head, 1);
    else copy[head] = next;
    return copy;
  }
  if (isPlainObject(value) && typeof head === 'string') {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k !== head) define(copy, k, v);
      else {
        const next = child(v);
        if (next !== REMOVE) define(copy, k, next);
      }
    }
    return copy;
  }
  return value;
}

type Mutation =
  | { readonly op: 'remove'; readonly at: number }
  | { readonly op: 'replace'; readonly at: number; readonly value: unknown }
  | { readonly op: 'add'; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly op: 'wrap'; readonly at: number; readonly how: 'array' | 'object' | 'string' };

function mutate(base: unknown, mutations: readonly Mutation[]): unknown {
  let value = base;
  for (const m of mutations) {
    const paths = pathsOf(value);
    const path = paths[m.at % paths.length] ?? [];
    value = update(value, path, (node) => {
      switch (m.op) {
        case 'remove':
          return path.length === 0 ? undefined : REMOVE;
        case 'replace':
          return m.value;
        case 'add': {
          if (Array.isArray(node)) return [...(node as unknown[]), m.value];
          const copy: Record<string, unknown> = {};
          if (isPlainObject(node)) for (const [k, v] of Object.entries(node)) define(copy, k, v);
          define(copy, m.key, m.value);
          return copy;
        }
        case 'wrap':
          return m.how === 'array' ? [node] : m.how === 'object' ? { value: node } : encodeJson(node);
      }
    });
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Value generators.

const HEX = '0123456789abcdef';
/** encodeURIComponent that never throws: lone surrogates become U+FFFD first. */
const encodePart = (s: string): string => encodeURIComponent(Buffer.from(s, 'utf8').toString('utf8'));
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const charsOf = (alphabet: string) => fc.constantFrom(...alphabet.split(''));
const hex = (length: number) => fc.string({ unit: charsOf(HEX), minLength: length, maxLength: length });
const hex32 = hex(32);
const hex64 = hex(64);
const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');
const deep = (open: string, middle: string, close: string) =>
  fc.integer({ min: 1, max: 50_000 }).map((n) => new RawJson(open.repeat(n) + middle + close.repeat(n)));

const weirdStrings = fc.constantFrom(
  '', ' ', '\t', '\u0000', '\ud800', '\udfff', '\ufeff', '\u202e', '\u0130', '\u212a', 'ß', '🦀', '👨‍👩‍👧',
  'null', 'true', '0', '-1', 'NaN', '[]', '{}', '__proto__', 'constructor', 'prototype', 'toString',
  'argon2id', 'ARGON2ID', 'files', 'records', 'Files', '=', '==', '%00', '../..', "'; DROP TABLE accounts; --",
  '\u212a@example.com', ' USER@EXAMPLE.COM ', 'a@b', '@', 'a@@b.co', 'user@exa mple.com', 'user@[127.0.0.1]',
  `${'x'.repeat(250)}@example.com`, `${'x'.repeat(64)}@${'y'.repeat(63)}.com`,
);

const longStrings = fc
  .tuple(fc.constantFrom(1, 99, 100, 101, 254, 255, 1000, 10_000, 100_000), fc.constantFrom('x', ' ', 'é', '🦀', '\ud800', '0'))
  .map(([n, c]) => c.repeat(n));

const strings: fc.Arbitrary<unknown> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  weirdStrings,
  longStrings,
  hex32,
  hex64,
  hex32.map((s) => s.toUpperCase()),
  hex64.map((s) => s.toUpperCase()),
  fc.integer({ min: 0, max: 130 }).chain(hex),
  fc.uint8Array({ maxLength: 80 }).map(b64),
  fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b).toString('base64')),
  fc.string({ unit: charsOf(B64URL), maxLength: 100 }),
  fc.emailAddress(),
);

const numbers: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    0, -0, 1, -1, 0.5, -0.5, 2, 3, 16, 19, 65_536, 262_144, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2,
    -(2 ** 53), 2 ** 63, 2 ** 64, 1e21, 1e308, Number.MAX_VALUE, Number.MIN_VALUE, Number.EPSILON,
  ),
  fc
    .constantFrom(
      '1e400', '-1e400', '1e-400', '123456789012345678901234567890', '9007199254740993', '-9007199254740993',
      '18446744073709551616', '1.0', '1E2', '0.1e1', '-0', '1.7976931348623157e309',
    )
    .map((t) => new RawJson(t)),
);

/** Any value a field might be replaced by. */
const nasty: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: strings },
  { weight: 3, arbitrary: numbers },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(strings, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string(), numbers, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.oneof(deep('[', '', ']'), deep('{"a":', '1', '}')) },
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: nasty }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: nasty }),
  fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: fc.oneof(fc.string(), weirdStrings), value: nasty }),
  fc.record({ op: fc.constant('wrap' as const), at: fc.nat(), how: fc.constantFrom('array' as const, 'object' as const, 'string' as const) }),
);

/** A valid body with 1 to 4 fields removed, replaced, added, or retyped. */
const mutated = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<string> =>
  fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([base, ms]) => {
    const value = mutate(base, ms);
    return value === undefined ? '' : encodeJson(value);
  });

const rawText: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '', ' ', '{', '}', '[', '{"', '{"a":', '{"a":1,}', '[1,]', "{'a':1}", 'nul', 'undefined', 'NaN', 'Infinity',
    '\ufeff{}', '{}\u0000', '{"__proto__":{"x":1}}', '{"email":"a@b.co","email":"c@d.co"}', '1e999999', '"\\ud800"',
    '"\\u00"', '{"a":"\\x"}', 'true false', '[][]', '\n\n\n', 'a=1&b=2', '<?xml version="1.0"?><a/>',
  ),
  fc.jsonValue().map((v) => JSON.stringify(v).slice(0, -1)), // truncated JSON
  deep('[', '', ']').map((r) => r.text),
  deep('{"a":', '1', '}').map((r) => r.text),
  deep('[', '', '').map((r) => r.text), // unclosed
);

/** A body for a JSON route: JSON of any shape, a mutated valid body, text that is not JSON, bytes. */
function jsonBodies(valid: fc.Arbitrary<unknown> | undefined, limit: number): fc.Arbitrary<string | Uint8Array | undefined> {
  const arbs: fc.WeightedArbitrary<string | Uint8Array | undefined>[] = [
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.anything().map((v) => JSON.stringify(v) ?? 'undefined') },
    { weight: 2, arbitrary: rawText },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4096 }) },
    // Just under, at and over the body limit.
    { weight: 1, arbitrary: fc.constantFrom(limit - 1, limit, limit + 1, limit + 4096).map((n) => `"${'x'.repeat(Math.max(0, n - 2))}"`) },
  ];
  if (valid) {
    arbs.push({ weight: 5, arbitrary: valid.map(encodeJson) }, { weight: 10, arbitrary: mutated(valid) });
  }
  return fc.oneof(...arbs);
}

/** Header values fetch can send: bytes 0x20-0xFF and tab, as Latin-1 text. */
const headerChars = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constant('\t') },
);
const headerJunk = fc.oneof(
  fc.string({ unit: headerChars, maxLength: 200 }),
  fc.constantFrom('', ' ', ',', ';', '=', ':', '::', '"', '*', 'null', 'undefined'),
  fc.integer({ min: 500, max: 1000 }).map((n) => 'x'.repeat(n)),
);

const contentTypes = fc.constantFrom(
  'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/octet-stream',
  'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', '',
);

/** Optional extra headers any request may carry. */
const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'content-type': fc.oneof(contentTypes, headerJunk),
    accept: fc.oneof(fc.constantFrom('application/json', '*/*', 'text/html'), headerJunk),
    'content-digest': headerJunk,
    range: headerJunk,
    'x-forwarded-for': headerJunk,
    'if-none-match': headerJunk,
    'content-encoding': fc.constantFrom('gzip', 'br', 'identity', 'deflate', 'x'),
    'accept-encoding': fc.constantFrom('gzip', 'br', 'identity', '*'),
  },
  { requiredKeys: [] },
);

/**
 * Path segments, in three tiers of about equal weight: known ids (some in another spelling that
 * still decodes to them), well-formed unknown ids, and junk (wrong case or length, URL junk).
 */
function pathIds(length: 32 | 64, known: readonly string[]): fc.Arbitrary<string> {
  const upper = (s: string) => s.toUpperCase();
  const junk = fc.oneof(
    hex(length).map(upper),
    fc.tuple(hex(length), fc.nat({ max: length - 1 })).map(([s, i]) => `${s.slice(0, i)}${s.charAt(i) === 'a' ? 'A' : 'F'}${s.slice(i + 1)}`),
    fc.integer({ min: 0, max: 130 }).chain(hex),
    hex(length === 32 ? 64 : 32),
    fc.string().map(encodePart),
    fc.string({ unit: 'binary' }).map(encodePart),
    fc.string({ unit: 'grapheme-ascii', minLength: 1 }), // raw: '?', '#', '/', '..' and all
    fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b) => [...b].map((x) => `%${x.toString(16).padStart(2, '0')}`).join('')),
    fc.constantFrom(
      '%', '%%', '%zz', '%0', '%00', '%2e', '%2e%2e', '..', '.', '%2F', '%252F', '%5C', '%ff%fe', '%c0%ae', '%ed%a0%80',
      '%E2%80%AE', '%20', '+', 'null', 'undefined', '__proto__', 'constructor', '0', '-1', '1e3', ':id', '*', '~', '%0d%0a',
    ),
    fc.integer({ min: 300, max: 3000 }).map((n) => 'a'.repeat(n)),
    fc.tuple(hex(length), fc.constantFrom('%00', '%20', ' ', '0', '/', '/x', '.json', '%0a', '?x=1', '#x', ';x')).map(([s, t]) => s + t),
  );
  const arbs: fc.WeightedArbitrary<string>[] = [
    { weight: 2, arbitrary: hex(length) },
    { weight: 4, arbitrary: junk },
  ];
  if (known.length > 0) {
    const knownArb = fc.constantFrom(...known);
    arbs.push(
      { weight: 3, arbitrary: knownArb },
      // The same id with one character percent-encoded: decodes to the known id.
      { weight: 1, arbitrary: knownArb.map((s) => s.replace(/[0-9a-f]/, (c) => `%${c.charCodeAt(0).toString(16)}`)) },
      {
        weight: 1,
        arbitrary: fc.tuple(knownArb, fc.constantFrom((s: string) => s.toUpperCase(), (s: string) => ` ${s}`, (s: string) => `${s}%00`, (s: string) => s.slice(1), (s: string) => `${s}/`)).map(([s, f]) => f(s)),
      },
    );
  }
  return fc.oneof(...arbs);
}

/** Range headers, including the classic edge cases around a SEED_CHUNK_SIZE-byte object. */
const ranges: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'bytes=5-2', 'bytes=-0', 'bytes=999999999-', 'bytes=0-0', 'bytes=0-', 'bytes=-1', 'bytes=-', 'bytes=', 'bytes=1-2,3-4',
    'bytes=0-999999999999999999999', 'bytes=99999999999999999999999-', 'bytes=-99999999999999999999', 'bytes = 0-1', 'BYTES=0-1',
    'items=0-1', 'bytes=0x1-2', 'bytes=1e2-', 'bytes=-1-2', 'bytes=0-0-0', '=0-1', 'bytes=\t0-1', 'bytes=999-999', 'bytes=1000-',
    'bytes=999-', 'bytes=1000-1000', 'bytes=0-1000', 'bytes=-1000', 'bytes=-1001', 'bytes=1-0', 'bytes=00000000000000000000001-2',
    `bytes=${'9'.repeat(400)}-`, `bytes=0-${'9'.repeat(400)}`, 'bytes=\u00b2-\u00b3',
  ),
  fc
    .tuple(
      fc.option(fc.oneof(fc.nat({ max: SEED_CHUNK_SIZE + 10 }), fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER))),
      fc.option(fc.oneof(fc.nat({ max: SEED_CHUNK_SIZE + 10 }), fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER))),
    )
    .map(([a, b]) => `bytes=${a ?? ''}-${b ?? ''}`),
  headerJunk,
  headerJunk.map((s) => `bytes=${s}`),
);

/** Content-Digest variants for a body: right, absent, right in the wrong syntax, wrong, junk. */
type DigestVariant =
  | 'correct' | 'absent' | 'base64url' | 'unpadded' | 'uppercase-name' | 'spaced' | 'with-other-first' | 'with-other-after'
  | 'sha-512' | 'wrong' | 'empty' | 'bare-base64' | 'quoted' | 'junk';
const digestVariants = fc.constantFrom<DigestVariant>(
  'correct', 'correct', 'correct', 'correct', 'correct', 'correct', 'absent', 'base64url', 'unpadded', 'uppercase-name', 'spaced', 'with-other-first',
  'with-other-after', 'sha-512', 'wrong', 'empty', 'bare-base64', 'quoted', 'junk',
);

function digestHeader(variant: DigestVariant, body: Uint8Array, junk: string): string | undefined {
  const digest = createHash('sha256').update(body).digest('base64');
  switch (variant) {
    case 'correct':
      return digestOf(body);
    case 'absent':
      return undefined;
    case 'base64url':
      return `sha-256=:${digest.replace(/\+/g, '-').replace(/\//g, '_')}:`;
    case 'unpadded':
      return `sha-256=:${digest.replace(/=+$/, '')}:`;
    case 'uppercase-name':
      return `SHA-256=:${digest}:`;
    case 'spaced':
      return ` sha-256 = :${digest}: `;
    case 'with-other-first':
      return `md5=:AAAA:, sha-256=:${digest}:`;
    case 'with-other-after':
      return `sha-256=:${digest}:, sha-512=:${'A'.repeat(86)}==:`;
    case 'sha-512':
      return `sha-512=:${createHash('sha512').update(body).digest('base64')}:`;
    case 'wrong':
      return `sha-256=:${createHash('sha256').update(body).update('x').digest('base64')}:`;
    case 'empty':
      return 'sha-256=::';
    case 'bare-base64':
      return digest;
    case 'quoted':
      return `sha-256="${digest}"`;
    case 'junk':
      return junk;
  }
}

const STAND_IN_TOKEN = 'S'.repeat(43);
/** Junk made from the stand-in token, pointed at a real one. */
const pointAt = (auth: AuthMode, token: string): AuthMode =>
  auth.kind === 'junk' ? { kind: 'junk', header: auth.header.replaceAll(STAND_IN_TOKEN, token) } : auth;

/** Authorization: the account's own session, none, or junk (well-formed unknown tokens too). */
type AuthMode = { readonly kind: 'valid' } | { readonly kind: 'none' } | { readonly kind: 'junk'; readonly header: string };

function authModes(token: string): fc.Arbitrary<AuthMode> {
  const junk = fc.oneof(
    fc.constantFrom(
      'Bearer', 'Bearer ', `bearer ${token}`, `Bearer  ${token}`, `Bearer ${token}x`, `Bearer ${token.slice(1)}`,
      `Bearer ${token.toUpperCase()}`, `Bearer ${token} `, `Bearer ${token}=`, `Basic ${Buffer.from('a:b').toString('base64')}`,
      `Token ${token}`, token, `Bearer ${token}, Bearer ${token}`, `Bearer ${'A'.repeat(43)}`, 'Bearer null', 'Bearer undefined',
    ),
    fc.string({ unit: charsOf(B64URL), minLength: 43, maxLength: 43 }).map((s) => `Bearer ${s}`),
    headerJunk.map((s) => `Bearer ${s}`),
    headerJunk,
  );
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant<AuthMode>({ kind: 'valid' }) },
    { weight: 1, arbitrary: fc.constant<AuthMode>({ kind: 'none' }) },
    { weight: 2, arbitrary: junk.map((header): AuthMode => ({ kind: 'junk', header })) },
  );
}

// ---------------------------------------------------------------------------------------------
// Valid bodies, the starting points of mutation.

/** Names within the schema's bounds (1 to 100 characters after trimming), edges included. */
const deviceName = fc.oneof(
  fc.constant('Laptop'),
  fc.string({ minLength: 1, maxLength: 100, unit: 'grapheme-composite' }).filter((s) => s.trim().length > 0 && s.trim().length <= 100),
  fc.constantFrom('x', 'x'.repeat(100), ` ${'x'.repeat(100)} `, 'é'.repeat(100), '🦀'.repeat(50), '\u0000', '\ud800', 'İ'.repeat(100)),
);

const deviceInfo = fc.record({
  id: hex32,
  name: deviceName,
  model: fc.oneof(fc.constant('Chromebook'), fc.constant(''), fc.string({ maxLength: 100 }), fc.constant('m'.repeat(100))),
});

const validRegistration = fc
  .record({ accountId: hex32, tag: hex(12), device: deviceInfo })
  .map(({ accountId, tag, device }) => registration({ accountId, email: `fuzz-${tag}@example.com`, device }));

const snapshotBody = (deviceId: string, chunkIds: readonly string[]) =>
  fc.record({
    id: hex32,
    kind: fc.constantFrom('files', 'records'),
    deviceId: fc.constant(deviceId),
    counter: fc.oneof(fc.integer({ min: 1, max: 2 ** 40 }), fc.constant(Number.MAX_SAFE_INTEGER)),
    refs: fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...chunkIds) }, { weight: 1, arbitrary: hex64 }), { maxLength: 6 }),
    sealed: fc.uint8Array({ minLength: 1, maxLength: 200 }).map(b64),
  });

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
