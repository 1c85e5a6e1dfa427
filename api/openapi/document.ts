import { isDeepStrictEqual } from 'node:util';
import { catalogPaths } from './paths/catalog.ts';
import { licensePaths } from './paths/licenses.ts';
import { lifecyclePaths } from './paths/lifecycle.ts';
import { offlinePaths } from './paths/offline.ts';
import { messagePaths } from './paths/messages.ts';
import { metricsPaths } from './paths/metrics.ts';
import { publicPaths } from './paths/public.ts';
import { stripePaths } from './paths/stripe.ts';
import { renderComponents, requestComponents, responseComponents, type JsonSchema } from './registry.ts';

export type OpenApiDocument = {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown> };
  [key: string]: unknown;
};

/** Response and request components in one map; a name both use must mean the same schema. */
function componentSchemas(): Record<string, JsonSchema> {
  const schemas = renderComponents(responseComponents, 'output');
  for (const [id, schema] of Object.entries(renderComponents(requestComponents, 'input'))) {
    if (schemas[id] && !isDeepStrictEqual(schemas[id], schema)) throw new Error(`openapi: component ${id} differs between requests and responses`);
    schemas[id] = schema;
  }
  return Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
}

const DESCRIPTION = `Self-hosted license engine.

**Client endpoints** (\`/v1/validate\`, \`/v1/activate\`, \`/v1/deactivate\`, \`/v1/heartbeat\`) are called by the licensed software. They need no token: the license key authenticates them. They are rate limited per IP and per key (HTTP 429, \`Retry-After\`). A validation always answers 200 with a verdict \`code\`; an activation, deactivation or heartbeat is refused with 422 (404 for an unknown key) and \`{ valid: false, code, detail }\`. Every answer of these four (refusals included) is signed: a detached EdDSA JWS over the exact body in \`Keywarden-Signature\`, bound to the key by \`kwk\` and echoing the request's \`nonce\` in the body; problem+json errors (400, 429) are not signed.

**Admin endpoints** need \`Authorization: Bearer <token>\` with a scope: \`licenses:read\`, \`licenses:write\`, or \`admin\` (every scope).

**Errors** are \`application/problem+json\` (RFC 9457) with a stable \`code\` (see ProblemCode); each code has one HTTP status. Any path answers ROUTE_NOT_FOUND (404) when it does not exist and METHOD_NOT_ALLOWED (405, with \`Allow\`) for a method it does not take, before authentication. Strings never hold NUL characters or unpaired surrogates (INVALID_REQUEST naming the field). Bodies and fields are snake_case; timestamps are ISO 8601 in UTC.

**Browsers**: the client endpoints and the JWKS answer CORS for any origin (or those CLIENT_CORS_ORIGINS lists), without credentials, exposing \`Keywarden-Signature\` and \`Retry-After\`; admin endpoints never answer CORS, and their answers are \`Cache-Control: no-store\`.`;

export function buildOpenApiDocument(): OpenApiDocument {
  return {
    openapi: '3.1.1',
    info: { title: 'Keywarden API', version: '0.1.0', description: DESCRIPTION },
    tags: [
      { name: 'client', description: 'Called by the licensed software, authenticated by the license key.' },
      { name: 'licenses', description: 'Admin: licenses, their activations and lifecycle.' },
      { name: 'products', description: 'Admin: products.' },
      { name: 'plans', description: 'Admin: plans and the policy their licenses inherit.' },
      { name: 'customers', description: 'Admin: customers.' },
      { name: 'messages', description: 'Admin: the outbox of outbound messages (Customer.io, HubSpot) and their delivery.' },
      { name: 'health', description: 'Liveness and readiness probes.' },
      { name: 'signing', description: 'The keys that sign validation answers and offline tokens: the public JWKS, and admin rotation.' },
      { name: 'stripe', description: 'Stripe\'s webhook, and the events it recorded (admin).' },
      { name: 'meta', description: 'This document, and the Prometheus metrics.' },
    ],
    paths: { ...publicPaths, ...licensePaths, ...lifecyclePaths, ...catalogPaths, ...offlinePaths, ...messagePaths, ...stripePaths, ...metricsPaths },
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An admin API token (`kwa_…`). The operation lists the scope it needs; `admin` implies every scope.',
        },
      },
    },
  };
}

let cached: OpenApiDocument | undefined;

/** The document, built on first use and kept: it only changes with the code. */
export function openApiDocument(): OpenApiDocument {
  cached ??= buildOpenApiDocument();
  return cached;
}
