import type { z } from 'zod';
import { PROBLEM_STATUS, type ProblemCode } from '../http/problem.ts';
import type { ApiTokenScope } from '../../schema/auth/api-token.entity.ts';
import { inlineSchema, ref, requestRef, responseRef, type JsonSchema } from './registry.ts';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
export const JSON_MEDIA_TYPE = 'application/json';

interface ResponseSpec {
  description: string;
  /** A named response schema; none for an empty body (204). */
  schema?: z.ZodType;
  headers?: Record<string, JsonSchema>;
  /** Other media types the same response can take (content negotiation), with their schema; without `schema`, the only ones (a text body). */
  alternatives?: Record<string, { schema: JsonSchema; description?: string }>;
}

export interface OperationSpec {
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** The admin scope required (`admin` implies every scope); null for public endpoints. */
  scope: ApiTokenScope | null;
  /** Public client endpoints are rate limited per IP and per key. */
  rateLimited?: boolean;
  /** Name → description (a UUID), or description and schema for other ids. */
  pathParams?: Record<string, string | { description: string; schema: JsonSchema }>;
  query?: z.ZodObject;
  body?: { schema: z.ZodType; required: boolean };
  responses: Record<number, ResponseSpec>;
  /** Problems this operation answers with besides those its auth, parameters and body imply. */
  problems?: ProblemCode[];
  /** False for the few operations that never need Postgres; the others answer 503 DATABASE_UNAVAILABLE while it is unreachable. */
  database?: false;
}

export const header = (description: string, schema: JsonSchema = { type: 'string' }) => ({ description, schema });
export const locationHeader = { Location: header('The URL of the new resource.') };
const PROBLEM_HEADERS: Partial<Record<ProblemCode, Record<string, JsonSchema>>> = {
  UNAUTHORIZED: { 'WWW-Authenticate': header('The Bearer challenge.') },
  RATE_LIMITED: { 'Retry-After': header('Seconds to wait before retrying.', { type: 'string', pattern: '^[0-9]+$' }) },
  LIFECYCLE_UNAVAILABLE: { 'Retry-After': header('Seconds to wait before retrying: the lifecycle engine (Temporal) did not answer within TEMPORAL_CALL_TIMEOUT.', { type: 'string', pattern: '^[0-9]+$' }) },
  SIGN_IN_LOCKED: { 'Retry-After': header('Seconds until sign-in is allowed again.', { type: 'string', pattern: '^[0-9]+$' }) },
  DATABASE_UNAVAILABLE: { 'Retry-After': header('Seconds to wait before retrying.', { type: 'string', pattern: '^[0-9]+$' }) },
};

/** Every problem code the operation can answer with: implied ones first, then its own. */
export function problemCodes(spec: OperationSpec): ProblemCode[] {
  const codes = new Set<ProblemCode>();
  if (spec.scope) codes.add('UNAUTHORIZED').add('FORBIDDEN');
  if (spec.pathParams || spec.query) codes.add('INVALID_REQUEST');
  if (spec.body) for (const code of ['INVALID_REQUEST', 'INVALID_JSON', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'] as const) codes.add(code);
  if (spec.rateLimited) codes.add('RATE_LIMITED');
  for (const code of spec.problems ?? []) codes.add(code);
  if (spec.database !== false) codes.add('DATABASE_UNAVAILABLE');
  return [...codes];
}

function problemResponses(codes: ProblemCode[]): Record<string, Record<string, unknown>> {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of codes) byStatus.set(PROBLEM_STATUS[code], [...(byStatus.get(PROBLEM_STATUS[code]) ?? []), code]);
  const out: Record<string, Record<string, unknown>> = {};
  for (const [status, group] of byStatus) {
    const headers = Object.assign({}, ...group.map((code) => PROBLEM_HEADERS[code] ?? {}));
    out[status] = {
      description: `Problem: ${group.join(', ')}.`,
      ...(Object.keys(headers).length ? { headers } : {}),
      content: {
        [PROBLEM_MEDIA_TYPE]: {
          schema: { allOf: [ref('Problem'), { type: 'object', properties: { status: { const: status }, code: { enum: group } } }] },
        },
      },
    };
  }
  return out;
}

function parameters(spec: OperationSpec): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const [name, param] of Object.entries(spec.pathParams ?? {})) {
    const { description, schema } = typeof param === 'string' ? { description: param, schema: { type: 'string', format: 'uuid' } } : param;
    out.push({ name, in: 'path', required: true, description, schema });
  }
  if (spec.query) {
    const query = inlineSchema(spec.query) as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      const { description, ...rest } = schema;
      out.push({ name, in: 'query', required: query.required?.includes(name) ?? false, ...(description ? { description } : {}), schema: rest });
    }
  }
  return out;
}

/** Renders an operation object: its security, parameters, body, and every response it gives. */
export function operation(spec: OperationSpec): Record<string, unknown> {
  const responses: Record<string, Record<string, unknown>> = {};
  for (const [status, response] of Object.entries(spec.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.headers ? { headers: response.headers } : {}),
      ...(response.schema
        ? { content: { [JSON_MEDIA_TYPE]: { schema: responseRef(response.schema) }, ...response.alternatives } }
        : response.alternatives
          ? { content: response.alternatives }
          : {}),
    };
  }
  for (const [status, problem] of Object.entries(problemResponses(problemCodes(spec)))) {
    if (responses[status]) throw new Error(`openapi: ${spec.operationId} answers ${status} both as a problem and as a resource`);
    responses[status] = problem;
  }
  responses.default = {
    description: 'Any other problem: INTERNAL_ERROR (500), METHOD_NOT_ALLOWED (405, with `Allow`).',
    content: { [PROBLEM_MEDIA_TYPE]: { schema: ref('Problem') } },
  };
  const params = parameters(spec);
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    security: spec.scope ? [{ bearer: [spec.scope] }] : [],
    ...(params.length ? { parameters: params } : {}),
    ...(spec.body
      ? { requestBody: { required: spec.body.required, content: { [JSON_MEDIA_TYPE]: { schema: requestRef(spec.body.schema) } } } }
      : {}),
    responses,
  };
}
