/** Reading a JSON body through a schema: anything malformed is a 400, never a 500. */
import type * as z from 'zod';
import { readBody } from './body.ts';
import type { AppContext } from './context.ts';
import { ApiError } from './errors.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads at most `maxBytes` of JSON (413 beyond) and checks it against `schema` (400 otherwise). */
export async function readJson<S extends z.ZodType>(c: AppContext, schema: S, maxBytes: number): Promise<z.output<S>> {
  const { bytes } = await readBody(c, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(bytes));
  } catch {
    throw new ApiError('invalid-request', { reason: 'body is not JSON' });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError('invalid-request', { reason: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` });
  }
  return parsed.data;
}

/** A path or query value checked by a schema; anything else names nothing (404). */
export function pathParam<S extends z.ZodType>(schema: S, value: string | undefined): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError('not-found');
  return parsed.data;
}
