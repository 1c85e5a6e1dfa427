import { z } from 'zod';

/** A quick first look: most strings hold none of the code units below, and then nothing more is checked. */
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * True when Postgres can store the string as it is: no NUL (text and jsonb refuse it) and no
 * unpaired UTF-16 surrogate (it has no UTF-8 spelling: JSON.parse lets `"\ud800"` through, and
 * the driver would silently store U+FFFD instead).
 */
export function isStorableText(value: string): boolean {
  return !SUSPECT.test(value) || (!value.includes('\0') && !LONE_SURROGATE.test(value));
}

export const UNSTORABLE_TEXT = 'must not contain NUL characters or unpaired surrogates';

const storable = z.refine<string>((value) => isStorableText(value), { message: UNSTORABLE_TEXT });

/**
 * The string every request field, query parameter and path parameter is built from
 * (`text().trim().min(1).max(200)`): a NUL or a lone surrogate is refused at the schema, as
 * 400 INVALID_REQUEST naming the field, before anything reaches Postgres. Format strings
 * (`z.uuid()`, `z.email()`, `z.iso.datetime()`) admit neither by their own patterns.
 */
export const text = () => z.string().check(storable);

/**
 * What the OpenAPI document says of a text() string, as a JSON Schema `pattern`: no NUL (lone
 * surrogates have no spelling in UTF-8 JSON), and for a trimmed string that must not be empty,
 * at least one character that is not white space. Undefined for any other schema, and where
 * a pattern or format of its own already says more.
 */
export function textPattern(schema: z.core.$ZodType, jsonSchema: Record<string, unknown>): string | undefined {
  const checks = (schema._zod.def as { checks?: z.core.$ZodCheck[] }).checks ?? [];
  if (jsonSchema.type !== 'string' || jsonSchema.pattern !== undefined || jsonSchema.format !== undefined || !checks.includes(storable)) return undefined;
  const trimmed = checks.some((check) => check._zod.def.check === 'overwrite' && (check._zod.def as { tx?: (value: string) => string }).tx?.(' x ') === 'x');
  return trimmed && Number(jsonSchema.minLength ?? 0) >= 1 ? '^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$' : '^[^\\u0000]*$';
}

/** How deep client-written JSON (metadata) may nest: JSON.stringify, and so the Postgres driver, recurses once per level. */
export const MAX_JSON_DEPTH = 32;

export interface JsonProblem {
  path: (string | number)[];
  message: string;
}

/**
 * The first place in a parsed JSON value that Postgres could not store, or that nests deeper
 * than `maxDepth`: walked with an explicit stack, so no input can exhaust the call stack.
 * A bad key is reported at the object holding it (the key itself would echo the bad bytes).
 */
export function findUnstorableJson(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonProblem | undefined {
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (pending.length) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      if (!isStorableText(current)) return { path, message: UNSTORABLE_TEXT };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (path.length >= maxDepth) return { path, message: `nests deeper than ${maxDepth} levels` };
    if (Array.isArray(current)) {
      current.forEach((item, index) => pending.push({ value: item, path: [...path, index] }));
      continue;
    }
    for (const [key, item] of Object.entries(current)) {
      if (!isStorableText(key)) return { path, message: `a key ${UNSTORABLE_TEXT}` };
      pending.push({ value: item, path: [...path, key] });
    }
  }
  return undefined;
}

/**
 * A client-written JSON object (a catalog item's or a license's `metadata`): any JSON inside,
 * but every string and every key storable, and nested at most MAX_JSON_DEPTH levels.
 */
export const jsonObject = () =>
  z.record(text(), z.unknown()).superRefine((value, ctx) => {
    const problem = findUnstorableJson(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
  });
