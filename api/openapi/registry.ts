import { z } from 'zod';
import { textPattern } from '../../lib/text.ts';

/** What a named component carries besides its schema. */
export interface ComponentMeta {
  id: string;
}

/**
 * Named schemas of the document, one registry per direction: responses are rendered as
 * zod's output type, request bodies as its input type (defaults optional, before transforms).
 * A schema used inside another named schema becomes a `$ref` to it.
 */
export const responseComponents = z.registry<ComponentMeta>();
export const requestComponents = z.registry<ComponentMeta>();

/**
 * The names taken in each registry, with the component's description (rendering takes field
 * descriptions from zod's global registry, component ones from here).
 */
const descriptions = new Map<z.core.$ZodRegistry<ComponentMeta>, Map<string, string | undefined>>([
  [responseComponents, new Map()],
  [requestComponents, new Map()],
]);

function name<T extends z.ZodType>(registry: z.core.$ZodRegistry<ComponentMeta>, id: string, schema: T, description?: string): T {
  const names = descriptions.get(registry)!;
  // zod's registry would quietly keep the last schema of a name.
  if (names.has(id)) throw new Error(`openapi: two schemas are named ${id}`);
  registry.add(schema, { id });
  names.set(id, description);
  return schema;
}

/** Names a response schema (its component id). */
export const responseSchema = <T extends z.ZodType>(id: string, schema: T, description?: string): T => name(responseComponents, id, schema, description);

/** Names a request schema (its component id). */
export const requestSchema = <T extends z.ZodType>(id: string, schema: T, description?: string): T => name(requestComponents, id, schema, description);

export type JsonSchema = Record<string, unknown>;

export const ref = (id: string): JsonSchema => ({ $ref: `#/components/schemas/${id}` });

function refIn(registry: z.core.$ZodRegistry<ComponentMeta>, schema: z.ZodType, kind: string): JsonSchema {
  const meta = registry.get(schema);
  if (!meta) throw new Error(`openapi: a ${kind} schema is used without a component name`);
  return ref(meta.id);
}

/** The `$ref` of a named response schema (throws for an unnamed one: every body is a component). */
export const responseRef = (schema: z.ZodType) => refIn(responseComponents, schema, 'response');
export const requestRef = (schema: z.ZodType) => refIn(requestComponents, schema, 'request');

/**
 * Keeps the document readable: `format` says enough for ids and timestamps (zod also emits
 * its 200-character regular expressions), and integer bounds that only restate
 * Number.MAX_SAFE_INTEGER go.
 */
function tidy({ zodSchema, jsonSchema }: { zodSchema: z.core.$ZodType; jsonSchema: Record<string, unknown> }): void {
  if (jsonSchema.format === 'uuid' || jsonSchema.format === 'date-time') delete jsonSchema.pattern;
  // Strings built on text() say what they refuse (NUL; blank when trimmed and required).
  const pattern = textPattern(zodSchema, jsonSchema);
  if (pattern) jsonSchema.pattern = pattern;
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
}

/** Renders a registry as `components.schemas`, without the per-schema `$schema` and `$id`. */
export function renderComponents(registry: z.core.$ZodRegistry<ComponentMeta>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}`, unrepresentable: 'throw', override: tidy });
  const out: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _schema, $id: _id, ...rest } = schema as JsonSchema;
    const description = descriptions.get(registry)?.get(id);
    out[id] = description ? { ...rest, description } : rest;
  }
  return out;
}

/** A standalone schema (query and path parameters), inline. */
export function inlineSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _schema, ...rest } = z.toJSONSchema(schema, { io, override: tidy }) as JsonSchema;
  return rest;
}
