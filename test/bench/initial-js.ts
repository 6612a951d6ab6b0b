/**
 * The JavaScript a first visit must download before the app can run: the entry script and the
 * modules it preloads, as named in the built index.html, gzip-compressed (what a server sends).
 * Code split off with import() (the viewers' EXIF reader, the strength meter) and the engine
 * worker load later and are not counted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export function initialJavaScript(outDir: string): { files: string[]; gzipBytes: number } {
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const urls = new Set<string>();
  for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+\.js)"/g)) urls.add(m[1]!);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)) urls.add(m[1]!);
  for (const m of html.matchAll(/<link[^>]*href="([^"]+\.js)"[^>]*rel="modulepreload"/g)) urls.add(m[1]!);
  const files = [...urls].map((u) => u.replace(/^\//, ''));
  const gzipBytes = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(outDir, file)), { level: 9 }).length, 0);
  return { files, gzipBytes };
}
