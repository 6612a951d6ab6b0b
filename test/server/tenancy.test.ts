/**
 * Cross-tenant isolation: account B, signed in, tries account A's chunk, snapshot and device ids on
 * every route and verb. Each answer is exactly what a random id gets, and A's data is untouched.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newDeviceId, newSnapshotId } from '../../src/core/ids.ts';
import { BACKENDS, b64, randomChunkId, register, request, snapshotBody, startServer, type Account, type Backend, type TestServer } from './harness.ts';

describe.each<Backend>(BACKENDS)('cross-tenant isolation on the %s backend', (backend) => {
  let server: TestServer;
  let alice: Account;
  let bob: Account;
  const aliceChunk = randomChunkId();
  const aliceBytes = randomBytes(2000);
  const aliceSnapshot = newSnapshotId();
  const alicePhone = { id: newDeviceId(), name: 'Alice’s phone', model: 'Pixel' };

  beforeAll(async () => {
    server = await startServer({ backend });
    alice = await register(server);
    bob = await register(server);
    expect((await alice.putChunk(aliceChunk, aliceBytes)).status).toBe(201);
    const commit = await alice.call('POST', '/snapshots', snapshotBody(alice.deviceId, 1, [aliceChunk], { id: aliceSnapshot, sealed: b64(randomBytes(80)) }));
    expect(commit.status).toBe(201);
    const signIn = await request(server, 'POST', '/sessions', { email: alice.reg.email, authKey: alice.reg.authKey, device: alicePhone });
    expect(signIn.status).toBe(201);
  });
  afterAll(() => server.close());

  /** Bob's request against Alice's id and against a fresh random id: status and body must match. */
  async function sameAsRandom(method: string, path: (id: string) => string, aliceId: string, randomId: string, body?: unknown) {
    const [theirs, random] = [await bob.call(method, path(aliceId), body), await bob.call(method, path(randomId), body)];
    const [a, r] = [await theirs.text(), await random.text()];
    expect(theirs.status).toBe(404);
    expect(random.status).toBe(404);
    expect(a).toBe(r);
    return a;
  }

  test('chunks: GET answers as for a random id', async () => {
    expect(await sameAsRandom('GET', (id) => `/chunks/${id}`, aliceChunk, randomChunkId())).toContain('not-found');
    for (const range of ['bytes=0-10', 'bytes=-1']) {
      const res = await bob.call('GET', `/chunks/${aliceChunk}`, undefined, { range });
      expect(res.status).toBe(404);
    }
  });

  test('chunks: missing lists them; PUT creates Bob’s own copy (no cross-account dedup)', async () => {
    expect(await (await bob.call('POST', '/chunks/missing', { ids: [aliceChunk] })).json()).toEqual({ missing: [aliceChunk] });
    const bobBytes = randomBytes(500);
    expect((await bob.putChunk(aliceChunk, bobBytes)).status).toBe(201);
    const back = await bob.call('GET', `/chunks/${aliceChunk}`);
    expect(Buffer.from(await back.arrayBuffer()).equals(bobBytes)).toBe(true);
    const alices = await alice.call('GET', `/chunks/${aliceChunk}`);
    expect(Buffer.from(await alices.arrayBuffer()).equals(aliceBytes)).toBe(true);
  });

  test('snapshots: GET and DELETE answer as for a random id; lists and commits do not see them', async () => {
    await sameAsRandom('GET', (id) => `/snapshots/${id}`, aliceSnapshot, newSnapshotId());
    await sameAsRandom('DELETE', (id) => `/snapshots/${id}`, aliceSnapshot, newSnapshotId());
    expect(await (await bob.call('GET', '/snapshots')).json()).toEqual({ snapshots: [] });
    expect(await (await bob.call('GET', `/snapshots?deviceId=${alice.deviceId}`)).json()).toEqual({ snapshots: [] });
    const other = randomChunkId();
    const commit = await bob.call('POST', '/snapshots', snapshotBody(bob.deviceId, 1, [other]));
    expect(commit.status).toBe(409);
    expect(((await commit.json()) as { error: { missing: string[] } }).error.missing).toEqual([other]);
    const reuse = await bob.call('POST', '/snapshots', snapshotBody(bob.deviceId, 2, [], { id: aliceSnapshot }));
    expect(reuse.status).toBe(201); // ids are per account: Bob's snapshot, not a collision with Alice's
  });

  test('devices: PATCH and DELETE answer as for a random id; the list shows only Bob’s', async () => {
    await sameAsRandom('PATCH', (id) => `/devices/${id}`, alicePhone.id, newDeviceId(), { name: 'pwned' });
    await sameAsRandom('DELETE', (id) => `/devices/${id}`, alicePhone.id, newDeviceId());
    await sameAsRandom('DELETE', (id) => `/devices/${id}`, alice.deviceId, newDeviceId());
    const list = (await (await bob.call('GET', '/devices')).json()) as { devices: { id: string }[] };
    expect(list.devices.map((d) => d.id)).toEqual([bob.deviceId]);
  });

  test('Bob’s session cannot act as Alice’s device', async () => {
    const commit = await bob.call('POST', '/snapshots', snapshotBody(alice.deviceId, 99, []));
    expect(commit.status).toBe(400);
  });

  test('after all of it, Alice’s data is intact', async () => {
    const snap = await alice.call('GET', `/snapshots/${aliceSnapshot}`);
    expect(snap.status).toBe(200);
    expect(await snap.json()).toMatchObject({ id: aliceSnapshot, chunkCount: 1 });
    const devices = (await (await alice.call('GET', '/devices')).json()) as { devices: { id: string; name: string }[] };
    expect(devices.devices.map((d) => [d.id, d.name]).sort()).toEqual(
      [
        [alice.deviceId, 'Laptop'],
        [alicePhone.id, 'Alice’s phone'],
      ].sort(),
    );
    const account = (await (await alice.call('GET', '/account')).json()) as { usageBytes: number };
    expect(account.usageBytes).toBe(2000 + 80);
  });
});
