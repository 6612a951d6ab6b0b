/**
 * The client address the access log and the rate limits use: the socket's, unless the server is
 * told it sits behind a reverse proxy; then the last hop of X-Forwarded-For (what the proxy saw),
 * never an address the client wrote into the header itself.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { register, startServer, type TestServer } from './harness.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function loggedAddress(trustProxy: boolean, forwardedFor: string): Promise<string | undefined> {
  server = await startServer({ config: { trustProxy } });
  const account = await register(server);
  const res = await fetch(`${server.url}/account`, { headers: { authorization: `Bearer ${account.token}`, 'x-forwarded-for': forwardedFor } });
  expect(res.status).toBe(200);
  const rows = await server.deps.meta.listAccessLog(account.accountId as never, 10);
  return rows.find((r) => r.route === 'GET /account')?.ip;
}

describe('client address', () => {
  test('without a trusted proxy the header is ignored', async () => {
    expect(await loggedAddress(false, '203.0.113.9')).toBe('127.0.0.1');
  });

  test('behind a trusted proxy that appends, the last hop counts, not what the client sent first', async () => {
    expect(await loggedAddress(true, '10.66.66.66, 198.51.100.7')).toBe('198.51.100.7');
  });

  test('behind a trusted proxy that replaces the header, its one entry counts', async () => {
    expect(await loggedAddress(true, '198.51.100.8')).toBe('198.51.100.8');
  });
});
