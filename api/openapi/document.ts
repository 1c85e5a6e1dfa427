import { isDeepStrictEqual } from 'node:util';
import { catalogPaths } from './paths/catalog.ts';
import { consolePaths } from './paths/console.ts';
import { licensePaths } from './paths/licenses.ts';
import { lifecyclePaths } from './paths/lifecycle.ts';
import { offlinePaths } from './paths/offline.ts';
import { messagePaths } from './paths/messages.ts';
import { metricsPaths } from './paths/metrics.ts';
import { publicPaths } from './paths/public.ts';
import { stripePaths } from './paths/stripe.ts';
import { identityPaths } from './paths/identity.ts';
import { keyOperationPaths } from './paths/key-operations.ts';
import { portalPaths } from './paths/portal.ts';
import { reportPaths } from './paths/reports.ts';
import { abusePaths } from './paths/abuse.ts';
import { bulkPaths } from './paths/bulk.ts';
import { applyAccessRules } from './access.ts';
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

**Admin endpoints** take an API token (\`Authorization: Bearer kwa_…\`) or a staff member's browser session (the \`kw_staff_session\` cookie from \`POST /v1/sessions\`), holding the scope the operation names (\`admin\` holds every scope; a staff member holds their role's scopes). A write with the session cookie must come from PUBLIC_URL's origin (\`Origin\`) and carry the session's \`csrf_token\` in \`X-CSRF-Token\`, or it is refused (CROSS_ORIGIN_REQUEST, CSRF_TOKEN_INVALID); a session ends after 30 minutes idle or 12 hours (SESSION_EXPIRED).

**Errors** are \`application/problem+json\` (RFC 9457) with a stable \`code\` (see ProblemCode); each code has one HTTP status. Any path answers ROUTE_NOT_FOUND (404) when it does not exist and METHOD_NOT_ALLOWED (405, with \`Allow\`) for a method it does not take, before authentication. Strings never hold NUL characters or unpaired surrogates (INVALID_REQUEST naming the field). While Postgres is unreachable, any operation that needs it answers DATABASE_UNAVAILABLE (503, with \`Retry-After\`). Bodies and fields are snake_case; timestamps are ISO 8601 in UTC.

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
      { name: 'sessions', description: 'Staff sign-in: browser sessions, one-time links, single sign-on.' },
      { name: 'account', description: 'The signed-in staff member\'s own account: profile, password, sessions, two-factor.' },
      { name: 'staff', description: 'Staff members, their roles and sessions; identity settings.' },
      { name: 'tokens', description: 'API tokens.' },
      { name: 'audit', description: 'The audit trail of every admin change.' },
      { name: 'abuse', description: 'Abuse alerts raised from the usage events, and each plan\'s abuse thresholds and action.' },
      { name: 'portal', description: 'The customer portal: sign-in by e-mail link, and a signed-in customer\'s own licenses.' },
      { name: 'reports', description: 'Reports for finance and operations: utilization, seat trend, renewal cohorts, revenue leakage, licensing metrics.' },
      { name: 'bulk', description: 'Admin: one change applied to many licenses, with a preview.' },
    ],
    paths: withAccessRules({ ...publicPaths, ...licensePaths, ...lifecyclePaths, ...keyOperationPaths, ...catalogPaths, ...offlinePaths, ...messagePaths, ...stripePaths, ...metricsPaths, ...identityPaths, ...consolePaths, ...portalPaths, ...abusePaths, ...reportPaths, ...bulkPaths }),
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An admin API token (`kwa_…`). The operation lists the scope it needs; `admin` implies every scope.',
        },
        customerSession: {
          type: 'apiKey',
          in: 'cookie',
          name: 'kw_customer_session',
          description: 'A customer\'s portal session (`POST /v1/portal/sessions`). Writes also need `X-CSRF-Token` (the session\'s `csrf_token`) and an `Origin` of PUBLIC_URL.',
        },
        staffSession: {
          type: 'apiKey',
          in: 'cookie',
          name: 'kw_staff_session',
          description: 'A staff member\'s browser session (`POST /v1/sessions`). Writes also need `X-CSRF-Token` (the session\'s `csrf_token`) and an `Origin` of PUBLIC_URL.',
        },
      },
    },
  };
}

function withAccessRules<T extends Record<string, Record<string, any>>>(paths: T): T {
  applyAccessRules(paths);
  return paths;
}

let cached: OpenApiDocument | undefined;

/** The document, built on first use and kept: it only changes with the code. */
export function openApiDocument(): OpenApiDocument {
  cached ??= buildOpenApiDocument();
  return cached;
}
