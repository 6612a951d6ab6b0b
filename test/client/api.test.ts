/**
 * The API client against the real server (in-process, real HTTP): every route through the client,
 * real sealed chunks and manifests, error codes mapped to KuraErrors, and the retry rules — only
 * idempotent requests retried, a lost acknowledgement on a commit or upload recognised as success.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toBase64Url } from '../../src/core/bytes.ts';
import { openChunk, sealChunk, sealChunkParts } from '../../src/core/crypto/chunk.ts';
import { chunkIdOf, fileHashOf } from '../../src/core/crypto/chunkid.ts';
import { KuraError } from '../../src/core/errors.ts';
import { newDeviceId, newSnapshotId, type ChunkId, type DeviceId } from '../../src/core/ids.ts';
import { openSnapshot, sealSnapshot } from '../../src/core/manifest/seal.ts';
import type { Snapshot } from '../../src/core/manifest/snapshot.ts';
import { ApiClient } from '../../src/client/api/client.ts';
import { codeOf, newAccountKeys, pseudoRandomBytes } from '../core/helpers.ts';
import { registration, startServer, type TestServer } from '../server/harness.ts';

let server: TestServer;
let origin: string;
const keys = await newAccountKeys();

beforeAll(async () => {
  server = await startServer({ config: { quotaBytes: 5_000_000 } });
  origin = server.origin;
});
afterAll(() => server.close());

/** A fetch that fails (or answers) as the test says for matching requests, else passes through. */
function scriptedFetch(script: (url: string, init: RequestInit, real: () => Promise<Response>, n: number) => Promise<Response>) {
  let n = 0;
  const calls: string[] = [];
  const impl: typeof fetch = async (input, init = {}) => {
    const url = String(input);
    calls.push(`${init.method ?? 'GET'} ${url.replace(/^.*\/api\/v1/, '')}`);
    return script(url, init, () => fetch(input, init), n++);
  };
  return { impl, calls };
}

const noWait = { sleep: async () => undefined, random: () => 0.5 };

async function signedUp(fetchImpl?: typeof fetch) {
  const client = new ApiClient({ origin, retry: noWait, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  const reg = registration() as Parameters<ApiClient['createAccount']>[0];
  const { token } = await client.createAccount(reg);
  client.token = token;
  return { client, reg };
}

describe('ApiClient against the real server', () => {
  test('accounts, sessions and devices', async () => {
    const { client, reg } = await signedUp();
    expect(await client.health()).toEqual({ ok: true, version: 'test' });
    expect(await client.account()).toMatchObject({ accountId: reg.accountId, email: reg.email, usageBytes: 0 });
    expect((await client.sessionParams(reg.email)).kdf).toEqual(reg.kdf);

    const phone = new ApiClient({ origin });
    const device = { id: newDeviceId(), name: 'Phone', model: 'Pixel' };
    const session = await phone.createSession({ email: reg.email, authKey: reg.authKey, device });
    expect(session.wrappedMasterKey).toBe(reg.wrappedMasterKey);
    phone.token = session.token;
    expect((await phone.devices()).map((d) => [d.name, d.current])).toEqual([
      ['Laptop', false],
      ['Phone', true],
    ]);
    expect(await client.renameDevice(device.id as DeviceId, 'Kitchen')).toMatchObject({ name: 'Kitchen' });
    await client.revokeDevice(device.id as DeviceId);
    expect(await codeOf(phone.account())).toBe('unauthenticated');
    await client.signOut();
    expect(await codeOf(client.account())).toBe('unauthenticated');
    expect(await codeOf(phone.createSession({ email: reg.email, authKey: reg.recoveryAuthKey, device }))).toBe('bad-credentials');
  });

  test('sealed chunks and a sealed manifest go up, come back and open', async () => {
    const { client } = await signedUp();
    const plain = pseudoRandomBytes(700_000, 3);
    const id = await chunkIdOf(keys.chunkId, plain);
    expect(await client.missingChunks([id])).toEqual([id]);
    expect(await client.putChunk(id, await sealChunkParts(keys, id, plain))).toBe('created');
    expect(await client.putChunk(id, (await sealChunk(keys, plain)).envelope)).toBe('exists');
    expect(await client.missingChunks([id])).toEqual([]);
    expect(Buffer.compare(await openChunk(keys, id, await client.getChunk(id)), plain)).toBe(0);

    const deviceId = (await client.devices())[0]!.id;
    const manifest: Snapshot = {
      format: 'kura-snapshot',
      v: 1,
      id: newSnapshotId(),
      kind: 'files',
      deviceId,
      counter: 1,
      createdAt: 1,
      source: 'Photos',
      entries: [{ path: 'a.bin', size: plain.length, lastModified: 0, type: '', chunks: [id], hash: await fileHashOf(keys.fileHash, plain.length, [id]) }],
    };
    const sealed = await sealSnapshot(keys.manifest, manifest);
    const summary = await client.commitSnapshot({ id: manifest.id, kind: 'files', deviceId, counter: 1, refs: [id], sealed: toBase64Url(sealed) });
    expect(summary).toMatchObject({ id: manifest.id, chunkCount: 1 });
    expect((await client.snapshots({ kind: 'files' })).map((s) => s.id)).toEqual([manifest.id]);
    const fetched = await client.snapshot(manifest.id);
    const bytes = Uint8Array.from(Buffer.from(fetched.sealed, 'base64url'));
    expect(await openSnapshot(keys.manifest, bytes, { id: manifest.id })).toEqual(manifest);
    await client.deleteSnapshot(manifest.id);
    expect(await client.snapshots()).toEqual([]);
  });

  test('a missing query of more than 10,000 ids is sent in batches', async () => {
    const { impl, calls } = scriptedFetch((_u, _i, real) => real());
    const { client } = await signedUp(impl);
    const ids = Array.from({ length: 12_345 }, (_, i) => i.toString(16).padStart(64, '0') as ChunkId);
    expect(await client.missingChunks(ids)).toEqual(ids);
    expect(calls.filter((c) => c === 'POST /chunks/missing')).toHaveLength(2);
  });

  test('server errors become KuraErrors with the API’s code and details', async () => {
    const { client } = await signedUp();
    const big = pseudoRandomBytes(4_000_000, 9);
    const first = await chunkIdOf(keys.chunkId, big.subarray(0, 3_000_000));
    await client.putChunk(first, big.subarray(0, 3_000_000));
    const e = await client.putChunk(await chunkIdOf(keys.chunkId, big.subarray(1)), big.subarray(1, 2_500_000)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KuraError);
    expect((e as KuraError).code).toBe('quota-exceeded');
    expect((e as KuraError).details).toMatchObject({ status: 507 });
    const absent = 'f'.repeat(64) as ChunkId;
    const commit = await client
      .commitSnapshot({ id: newSnapshotId(), kind: 'files', deviceId: (await client.devices())[0]!.id, counter: 1, refs: [absent], sealed: 'AAAA' })
      .catch((x: unknown) => x as KuraError);
    expect(commit).toMatchObject({ code: 'missing-chunks', details: { status: 409, missing: [absent] } });
  });
});

describe('retries', () => {
  test('idempotent requests are retried through network failures and 5xx, with growing backoff', async () => {
    const delays: number[] = [];
    const { impl, calls } = scriptedFetch(async (url, _init, real, n) => {
      if (url.endsWith('/account') && n < 4) throw new TypeError('fetch failed');
      if (url.endsWith('/account') && n === 4) return new Response('{"error":{"code":"internal","message":"x"}}', { status: 500 });
      return real();
    });
    const client = new ApiClient({ origin, fetch: impl, retry: { sleep: async (ms) => void delays.push(ms), random: () => 1, retries: 5 } });
    const reg = registration() as Parameters<ApiClient['createAccount']>[0];
    client.token = (await new ApiClient({ origin }).createAccount(reg)).token;
    expect(await client.account()).toMatchObject({ email: reg.email });
    expect(calls).toEqual(Array(6).fill('GET /account'));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000]);
  });

  test('non-idempotent requests are not retried', async () => {
    const { impl, calls } = scriptedFetch(async () => {
      throw new TypeError('fetch failed');
    });
    const client = new ApiClient({ origin, fetch: impl, retry: noWait });
    const reg = registration() as Parameters<ApiClient['createAccount']>[0];
    expect(await codeOf(client.createAccount(reg))).toBe('network-unavailable');
    expect(await codeOf(client.createSession({ email: reg.email, authKey: reg.authKey, device: reg.device }))).toBe('network-unavailable');
    expect(calls).toEqual(['POST /accounts', 'POST /sessions']);
  });

  test('a corrupt object and a 4xx are not retried', async () => {
    const { impl, calls } = scriptedFetch(async (url, _i, real) =>
      url.includes('/chunks/') ? new Response('{"error":{"code":"object-corrupt","message":"x"}}', { status: 500 }) : real(),
    );
    const { client } = await signedUp(impl);
    expect(await codeOf(client.getChunk('a'.repeat(64) as ChunkId))).toBe('object-corrupt');
    expect(await codeOf(client.snapshot(newSnapshotId()))).toBe('not-found');
    expect(calls.filter((c) => c.startsWith('GET'))).toHaveLength(2);
  });

  test('a commit whose acknowledgement is lost is recognised on the retry, and committed once', async () => {
    let dropped = false;
    const { impl } = scriptedFetch(async (url, init, real) => {
      const response = await real();
      if (url.endsWith('/snapshots') && init.method === 'POST' && !dropped) {
        dropped = true;
        throw new TypeError('connection reset after the server answered');
      }
      return response;
    });
    const { client } = await signedUp(impl);
    const deviceId = (await client.devices())[0]!.id;
    const id = newSnapshotId();
    const summary = await client.commitSnapshot({ id, kind: 'files', deviceId, counter: 1, refs: [], sealed: 'AAAA' });
    expect(dropped).toBe(true);
    expect(summary).toMatchObject({ id, counter: 1 });
    expect((await client.snapshots()).map((s) => s.id)).toEqual([id]);
  });

  test('an upload and a delete whose acknowledgements are lost end as done', async () => {
    const lost = new Set<string>();
    const { impl } = scriptedFetch(async (url, init, real) => {
      const response = await real();
      const key = `${init.method} ${url}`;
      if ((init.method === 'PUT' || init.method === 'DELETE') && !lost.has(key)) {
        lost.add(key);
        throw new TypeError('reset');
      }
      return response;
    });
    const { client } = await signedUp(impl);
    const plain = pseudoRandomBytes(1000, 1);
    const sealed = await sealChunk(keys, plain);
    expect(await client.putChunk(sealed.id, sealed.envelope)).toBe('exists');
    expect(await client.missingChunks([sealed.id])).toEqual([]);
    const deviceId = (await client.devices())[0]!.id;
    const snapshotId = newSnapshotId();
    await client.commitSnapshot({ id: snapshotId, kind: 'files', deviceId, counter: 1, refs: [sealed.id], sealed: 'AAAA' });
    await client.deleteSnapshot(snapshotId);
    expect(await client.snapshots()).toEqual([]);
  });

  test('answers that do not match the protocol are refused as bad-response', async () => {
    const { impl } = scriptedFetch(async (url, _i, real) => {
      if (url.endsWith('/account')) return Response.json({ accountId: 'nope' });
      if (url.includes('/chunks/')) {
        const r = await real();
        const bytes = new Uint8Array(await r.arrayBuffer());
        bytes[0]! ^= 1;
        return new Response(bytes, { status: 200, headers: r.headers });
      }
      return real();
    });
    const { client } = await signedUp(impl);
    expect(await codeOf(client.account())).toBe('bad-response');
    const sealed = await sealChunk(keys, pseudoRandomBytes(500, 2));
    await client.putChunk(sealed.id, sealed.envelope);
    expect(await codeOf(client.getChunk(sealed.id))).toBe('bad-response');
  });
});
