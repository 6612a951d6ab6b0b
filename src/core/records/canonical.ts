/**
 * Canonical JSON: JSON with every object's keys sorted, so equal records always give equal text,
 * and so equal hashes (bodyHash in set.ts). Record ids and the hashes kept in every record set
 * depend on this text, so it must never change: it is, byte for byte, what
 * `JSON.stringify(value, replacer)` gives with a replacer that rebuilds each object from its
 * sorted entries (the first implementation; test/core/records/canonical.test.ts holds both to
 * the same output). Written out by hand because that replacer built a sorted copy of every
 * object, which made canonical JSON the largest cost of planning an import.
 */

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** An array index as JS orders it: such keys come first in a rebuilt object, ascending. */
const isIndex = (key: string) => /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;

function objectKeys(value: object): string[] {
  const keys = Object.keys(value).sort(compare);
  if (!keys.some(isIndex)) return keys;
  const indices = keys.filter(isIndex).sort((a, b) => Number(a) - Number(b));
  return [...indices, ...keys.filter((k) => !isIndex(k))];
}

/** The text of one value, or undefined where JSON.stringify leaves it out (undefined, functions, symbols). */
function write(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      const json = (value as { toJSON?: unknown }).toJSON;
      if (typeof json === 'function') return write((json as () => unknown).call(value));
      if (Array.isArray(value)) {
        const items: string[] = [];
        for (let i = 0; i < value.length; i++) items.push(write(value[i]) ?? 'null'); // holes too
        return `[${items.join(',')}]`;
      }
      const parts: string[] = [];
      for (const key of objectKeys(value)) {
        const text = write((value as Record<string, unknown>)[key]);
        if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
      }
      return `{${parts.join(',')}}`;
    }
    case 'bigint':
      throw new TypeError('canonicalJson: a BigInt has no JSON form');
    default:
      return undefined;
  }
}

/** JSON with object keys sorted, so equal records always give equal text (and hash). */
export function canonicalJson(value: unknown): string {
  return write(value) as string;
}
