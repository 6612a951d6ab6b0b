/**
 * The catalogues are complete and the components hold no text of their own: every key exists in
 * English and Japanese, no message is empty, and no .svelte file has a literal user-visible string
 * (text between tags, or a label-like attribute) outside `{$_(…)}`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'svelte/compiler';
import { describe, expect, test } from 'vitest';
import { CATALOGUES } from '../../src/app/i18n/index.ts';

function flatten(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'string') out.set(prefix, value);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) for (const [key, text] of flatten(v, prefix ? `${prefix}.${k}` : k)) out.set(key, text);
  return out;
}

/** ICU placeholders ({name}, {n, plural, …}) named in a message. */
function placeholders(message: string): string[] {
  return [...message.matchAll(/\{\s*([a-zA-Z0-9_]+)\s*[,}]/g)].map((m) => m[1]!).sort();
}

const en = flatten(CATALOGUES.en);
const ja = flatten(CATALOGUES.ja);

describe('message catalogues', () => {
  test('every English key has a Japanese message and the other way round', () => {
    expect([...en.keys()].filter((k) => !ja.has(k))).toEqual([]);
    expect([...ja.keys()].filter((k) => !en.has(k))).toEqual([]);
  });

  test('no message is empty, and both languages use the same placeholders', () => {
    for (const [key, text] of en) {
      expect(text.trim(), key).not.toBe('');
      expect(ja.get(key)?.trim(), key).not.toBe('');
      expect(placeholders(ja.get(key) ?? ''), key).toEqual(placeholders(text));
    }
  });

  test('no message that formats a number, date, time or plural reads the same in both languages', () => {
    // svelte-i18n memoizes a compiled message by its text alone: a text shared by both languages
    // would be formatted in whichever language rendered it first, for both.
    const formatted = /\{[^{}]*,\s*(number|date|time|plural|selectordinal)/;
    expect([...en].filter(([key, text]) => formatted.test(text) && ja.get(key) === text).map(([key]) => key)).toEqual([]);
  });

  test('every key a component asks for exists', () => {
    const missing: string[] = [];
    for (const file of svelteFiles('src/app')) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/\$_\(\s*'([a-zA-Z0-9_.-]+)'/g)) if (!en.has(m[1]!)) missing.push(`${file}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });
});

const LABEL_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'aria-description', 'aria-roledescription', 'label', 'aria-valuetext']);

function svelteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? svelteFiles(join(dir, d.name)) : d.name.endsWith('.svelte') ? [join(dir, d.name)] : [],
  );
}

interface AstNode {
  type: string;
  data?: string;
  name?: string;
  start: number;
  value?: unknown;
  attributes?: AstNode[];
  [key: string]: unknown;
}

/** Literal text a person would see or hear, found in a component's markup. */
export function literalStrings(source: string): string[] {
  const ast = parse(source, { modern: true }) as unknown as { fragment: AstNode };
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as AstNode;
    if (n.type === 'Text' && /\p{L}/u.test(n.data ?? '')) found.push((n.data ?? '').trim());
    for (const attribute of n.attributes ?? [])
      if (attribute.type === 'Attribute' && LABEL_ATTRIBUTES.has(attribute.name ?? '') && Array.isArray(attribute.value))
        for (const part of attribute.value as AstNode[])
          if (part.type === 'Text' && /\p{L}/u.test(part.data ?? '')) found.push(`${attribute.name}="${part.data}"`);
    // Attributes other than labels (class, role, type…) are not text a person meets.
    for (const [key, child] of Object.entries(n)) if (key !== 'attributes' && typeof child === 'object') visit(child);
  };
  visit(ast.fragment);
  return found;
}

describe('components', () => {
  test('the literal-string check finds text and labels, and lets expressions through', () => {
    expect(literalStrings('<p>Hello</p><b>{$_("x")}</b><img alt="A cat" src="a.png"><i aria-label={$_("y")}></i><span> — </span>')).toEqual([
      'Hello',
      'alt="A cat"',
    ]);
  });

  test.each(svelteFiles('src/app'))('%s has no literal user-visible string', (file) => {
    expect(literalStrings(readFileSync(file, 'utf8'))).toEqual([]);
  });
});
