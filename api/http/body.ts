import type { Context } from 'koa';
import getRawBody from 'raw-body';
import type { z } from 'zod';
import { Problem } from './problem.ts';

export const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * A body over the limit: refused, and the connection closed once the answer is sent
 * (`Connection: close`), so the rest of the body is neither read nor waited for and the client
 * is not left sending into a connection that will never answer again.
 */
export function payloadTooLarge(limit: number): Problem {
  return new Problem('PAYLOAD_TOO_LARGE', `the body is larger than ${limit} bytes`, { headers: { Connection: 'close' } });
}

/** Reads a JSON body with a size limit; raw bytes are kept for signature checks. */
export async function readJson(ctx: Context, limit = DEFAULT_BODY_LIMIT): Promise<unknown> {
  if (ctx.request.length === 0 || (!ctx.request.length && !ctx.get('transfer-encoding'))) return {};
  if (!ctx.is('application/json', 'application/*+json')) {
    throw new Problem('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
  }
  let raw: string;
  try {
    raw = await getRawBody(ctx.req, { limit, length: ctx.request.length, encoding: 'utf8' });
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') throw payloadTooLarge(limit);
    throw new Problem('INVALID_REQUEST', 'the body could not be read');
  }
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new Problem('INVALID_JSON', 'the body is not valid JSON');
  }
}

/**
 * The failing fields of one issue. A bad key of a record (metadata, features) is reported at the record, the
 * key quoted as JSON in the message: the field path never carries the key's raw characters.
 */
function fieldErrors(issue: z.core.$ZodIssue): { field: string; message: string }[] {
  // One of several shapes (z.xor, z.union): the errors of the shape the input came closest to,
  // first the one that knows every field sent, then the one with the fewest errors.
  if (issue.code === 'invalid_union' && issue.errors.length) {
    const distance = (branch: z.core.$ZodIssue[]) => branch.filter((inner) => inner.code === 'unrecognized_keys' && inner.path.length === 0).length * 1_000 + branch.length;
    const closest = issue.errors.reduce((best, branch) => (distance(branch) < distance(best) ? branch : best));
    if (closest.length) return closest.flatMap((inner) => fieldErrors({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue));
  }
  if (issue.code === 'invalid_key') {
    const key = JSON.stringify(String(issue.path.at(-1)));
    return [{ field: issue.path.slice(0, -1).join('.') || '(body)', message: `key ${key}: ${issue.issues[0]?.message ?? issue.message}` }];
  }
  return [{ field: issue.path.join('.') || '(body)', message: issue.message }];
}

/** Checks input against a zod schema; every failing field is listed in `errors`. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = result.error.issues.flatMap(fieldErrors);
  const summary = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  throw new Problem('INVALID_REQUEST', summary, { extra: { errors } });
}

export async function parseBody<S extends z.ZodType>(ctx: Context, schema: S): Promise<z.infer<S>> {
  return parseWith(schema, await readJson(ctx));
}
