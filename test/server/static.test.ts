/**
 * The built app as the server hands it out: hashed assets cached for good and gzip'd when the
 * browser accepts it, index.html revalidated and served for any app route, API bodies never
 * compressed (their digests are over the bytes as sent).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer, type TestServer } from './harness.ts';

let dir: string;
let server: TestServer;
const script = 'export const greeting = "こんにちは";\n'.repeat(200);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kura-static-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Kura</title>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), script);
  server = await startServer({ config: { staticDir: dir } });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw GET (fetch would undo the gzip and hide it). */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(server.origin + path, { headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serving the built app', () => {
  test('assets are gzip’d for browsers that accept it, and cached for good', async () => {
    const zipped = await get('/assets/index-abc123.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['cache-control']).toContain('immutable');
    expect(gunzipSync(zipped.body).toString('utf8')).toBe(script);
    expect(zipped.body.length).toBeLessThan(Buffer.byteLength(script) / 4);
    const plain = await get('/assets/index-abc123.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(script);
  });

  test('any app route gets index.html, revalidated each time', async () => {
    const page = await get('/browse/abc', { 'accept-encoding': 'gzip' });
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("frame-src blob:");
  });

  test('API answers are never compressed', async () => {
    const health = await get('/api/v1/health', { 'accept-encoding': 'gzip' });
    expect(health.status).toBe(200);
    expect(health.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(health.body.toString('utf8'))).toMatchObject({ ok: true });
  });
});
