/**
 * DESIGN.md section 2: src/core runs in page, worker, server and tests alike, so it imports
 * nothing outside core (but for its few pure libraries) and touches no DOM, storage or network.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const CORE = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/core');
// Pure libraries the core may use: no DOM, storage or network of their own (records: ical.js parses
// iCalendar and vCard, papaparse CSV, fast-xml-parser the Android call-log XML).
const ALLOWED_PACKAGES = new Set(['hash-wasm', 'zod', 'ical.js', 'papaparse', 'fast-xml-parser']);
const FORBIDDEN_GLOBALS = /\b(window|document|indexedDB|localStorage|sessionStorage|navigator)\s*\.|\bfetch\s*\(|\bXMLHttpRequest\b|\bBuffer\./;

const files = readdirSync(CORE, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => join(CORE, f));

const code = (file: string) =>
  readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');

describe('src/core purity', () => {
  test('finds the core sources', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  test.each(files.map((f) => [relative(CORE, f), f]))('%s imports only core and pure libraries', (_name, file) => {
    for (const [, spec] of code(file).matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]/g)) {
      if (spec!.startsWith('.')) {
        expect(resolve(dirname(file), spec!).startsWith(CORE + '/'), spec).toBe(true);
      } else {
        expect(ALLOWED_PACKAGES.has(spec!), `package ${spec}`).toBe(true);
      }
    }
  });

  test.each(files.map((f) => [relative(CORE, f), f]))('%s touches no DOM, storage or network', (_name, file) => {
    expect(code(file).match(FORBIDDEN_GLOBALS)?.[0]).toBeUndefined();
  });
});
