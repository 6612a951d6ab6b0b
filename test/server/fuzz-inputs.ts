/**
 * What the API fuzzer (fuzz.test.ts) sends: its limits, and the fast-check arbitraries for bodies
 * (any JSON, mutated valid bodies, raw text and bytes), headers, path ids, ranges, digests and
 * authorization, plus valid registrations and snapshots to mutate from.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { b64, digestOf, registration } from './harness.ts';

/** Runs per property; KURA_FUZZ_RUNS raises it for a longer local session. */
export const RUNS = Number(process.env.KURA_FUZZ_RUNS) || 150;
export const TIMEOUT = 120_000;
export const MAX_CHUNK = 64 * 1024;
export const MAX_JSON = 256 * 1024;
export const MAX_SNAPSHOT = 512 * 1024;
export const SEED_CHUNK_SIZE = 1000;

// ---------------------------------------------------------------------------------------------
// JSON with values JSON.stringify cannot write (numerals beyond a double, deep nesting).

/** Text spliced into the JSON as it is. */
class RawJson {
  constructor(readonly text: string) {}
}

export function encodeJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(encodeJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${encodeJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RawJson);

/** Sets an own property, even one named `__proto__`. */
export function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export type Path = readonly (string | number)[];

export function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

export const REMOVE = Symbol('remove');

/** A copy of `value` with the node at `path` replaced by `f(node)` (or removed). */
export function update(value: unknown, path: Path, f: (node: unknown) => unknown): unknown {
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

export type Mutation =
  | { readonly op: 'remove'; readonly at: number }
  | { readonly op: 'replace'; readonly at: number; readonly value: unknown }
  | { readonly op: 'add'; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly op: 'wrap'; readonly at: number; readonly how: 'array' | 'object' | 'string' };

export function mutate(base: unknown, mutations: readonly Mutation[]): unknown {
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

export const HEX = '0123456789abcdef';
/** encodeURIComponent that never throws: lone surrogates become U+FFFD first. */
export const encodePart = (s: string): string => encodeURIComponent(Buffer.from(s, 'utf8').toString('utf8'));
export const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
export const charsOf = (alphabet: string) => fc.constantFrom(...alphabet.split(''));
export const hex = (length: number) => fc.string({ unit: charsOf(HEX), minLength: length, maxLength: length });
export const hex32 = hex(32);
export const hex64 = hex(64);
export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');
export const deep = (open: string, middle: string, close: string) =>
  fc.integer({ min: 1, max: 50_000 }).map((n) => new RawJson(open.repeat(n) + middle + close.repeat(n)));

export const weirdStrings = fc.constantFrom(
  '', ' ', '\t', '\u0000', '\ud800', '\udfff', '\ufeff', '\u202e', '\u0130', '\u212a', 'ß', '🦀', '👨‍👩‍👧',
  'null', 'true', '0', '-1', 'NaN', '[]', '{}', '__proto__', 'constructor', 'prototype', 'toString',
  'argon2id', 'ARGON2ID', 'files', 'records', 'Files', '=', '==', '%00', '../..', "'; DROP TABLE accounts; --",
  '\u212a@example.com', ' USER@EXAMPLE.COM ', 'a@b', '@', 'a@@b.co', 'user@exa mple.com', 'user@[127.0.0.1]',
  `${'x'.repeat(250)}@example.com`, `${'x'.repeat(64)}@${'y'.repeat(63)}.com`,
);

export const longStrings = fc
  .tuple(fc.constantFrom(1, 99, 100, 101, 254, 255, 1000, 10_000, 100_000), fc.constantFrom('x', ' ', 'é', '🦀', '\ud800', '0'))
  .map(([n, c]) => c.repeat(n));

export const strings: fc.Arbitrary<unknown> = fc.oneof(
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

export const numbers: fc.Arbitrary<unknown> = fc.oneof(
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
export const nasty: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: strings },
  { weight: 3, arbitrary: numbers },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(strings, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string(), numbers, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.oneof(deep('[', '', ']'), deep('{"a":', '1', '}')) },
);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: nasty }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: nasty }),
  fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: fc.oneof(fc.string(), weirdStrings), value: nasty }),
  fc.record({ op: fc.constant('wrap' as const), at: fc.nat(), how: fc.constantFrom('array' as const, 'object' as const, 'string' as const) }),
);

/** A valid body with 1 to 4 fields removed, replaced, added, or retyped. */
export const mutated = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<string> =>
  fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([base, ms]) => {
    const value = mutate(base, ms);
    return value === undefined ? '' : encodeJson(value);
  });

export const rawText: fc.Arbitrary<string> = fc.oneof(
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
export function jsonBodies(valid: fc.Arbitrary<unknown> | undefined, limit: number): fc.Arbitrary<string | Uint8Array | undefined> {
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
export const headerChars = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constant('\t') },
);
export const headerJunk = fc.oneof(
  fc.string({ unit: headerChars, maxLength: 200 }),
  fc.constantFrom('', ' ', ',', ';', '=', ':', '::', '"', '*', 'null', 'undefined'),
  fc.integer({ min: 500, max: 1000 }).map((n) => 'x'.repeat(n)),
);

export const contentTypes = fc.constantFrom(
  'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/octet-stream',
  'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', '',
);

/** Optional extra headers any request may carry. */
export const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
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
export function pathIds(length: 32 | 64, known: readonly string[]): fc.Arbitrary<string> {
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
export const ranges: fc.Arbitrary<string> = fc.oneof(
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
export type DigestVariant =
  | 'correct' | 'absent' | 'base64url' | 'unpadded' | 'uppercase-name' | 'spaced' | 'with-other-first' | 'with-other-after'
  | 'sha-512' | 'wrong' | 'empty' | 'bare-base64' | 'quoted' | 'junk';
export const digestVariants = fc.constantFrom<DigestVariant>(
  'correct', 'correct', 'correct', 'correct', 'correct', 'correct', 'absent', 'base64url', 'unpadded', 'uppercase-name', 'spaced', 'with-other-first',
  'with-other-after', 'sha-512', 'wrong', 'empty', 'bare-base64', 'quoted', 'junk',
);

export function digestHeader(variant: DigestVariant, body: Uint8Array, junk: string): string | undefined {
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

export const STAND_IN_TOKEN = 'S'.repeat(43);
/** Junk made from the stand-in token, pointed at a real one. */
export const pointAt = (auth: AuthMode, token: string): AuthMode =>
  auth.kind === 'junk' ? { kind: 'junk', header: auth.header.replaceAll(STAND_IN_TOKEN, token) } : auth;

/** Authorization: the account's own session, none, or junk (well-formed unknown tokens too). */
export type AuthMode = { readonly kind: 'valid' } | { readonly kind: 'none' } | { readonly kind: 'junk'; readonly header: string };

export function authModes(token: string): fc.Arbitrary<AuthMode> {
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
export const deviceName = fc.oneof(
  fc.constant('Laptop'),
  fc.string({ minLength: 1, maxLength: 100, unit: 'grapheme-composite' }).filter((s) => s.trim().length > 0 && s.trim().length <= 100),
  fc.constantFrom('x', 'x'.repeat(100), ` ${'x'.repeat(100)} `, 'é'.repeat(100), '🦀'.repeat(50), '\u0000', '\ud800', 'İ'.repeat(100)),
);

export const deviceInfo = fc.record({
  id: hex32,
  name: deviceName,
  model: fc.oneof(fc.constant('Chromebook'), fc.constant(''), fc.string({ maxLength: 100 }), fc.constant('m'.repeat(100))),
});

export const validRegistration = fc
  .record({ accountId: hex32, tag: hex(12), device: deviceInfo })
  .map(({ accountId, tag, device }) => registration({ accountId, email: `fuzz-${tag}@example.com`, device }));

export const snapshotBody = (deviceId: string, chunkIds: readonly string[]) =>
  fc.record({
    id: hex32,
    kind: fc.constantFrom('files', 'records'),
    deviceId: fc.constant(deviceId),
    counter: fc.oneof(fc.integer({ min: 1, max: 2 ** 40 }), fc.constant(Number.MAX_SAFE_INTEGER)),
    refs: fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...chunkIds) }, { weight: 1, arbitrary: hex64 }), { maxLength: 6 }),
    sealed: fc.uint8Array({ minLength: 1, maxLength: 200 }).map(b64),
  });
