import { z } from 'zod';
import { ActivateRequest, ActivateResponse, ClientKeyNotFound, ClientRejection, DeactivateRequest, DeactivateResponse, HeartbeatRequest, HeartbeatResponse, ValidateRequest, ValidateResponse } from '../schemas/client.ts';
import { Liveness, Readiness } from '../schemas/health.ts';
import { header, operation } from '../operation.ts';
import { responseSchema } from '../registry.ts';

const OpenApiDocument = responseSchema(
  'OpenApiDocument',
  z.looseObject({ openapi: z.string().regex(/^3\.1\.\d+$/), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) }),
  'This document (OpenAPI 3.1).',
);

const signatureHeader = (what: string) => ({
  'Keywarden-Signature': header(
    `A detached JWS (\`<protected>..<signature>\`, EdDSA) over the exact bytes of this body (base64url payload). The protected header is \`{"alg":"EdDSA","kid":…,"kwk":…}\`: \`kwk\` is base64url(SHA-256(\`key\` as sent, trimmed)), binding the answer to the key asked about; refuse an answer whose \`kwk\` is missing or not your key's digest. Verify it with the JWKS. ${what}`,
    { type: 'string', pattern: '^[A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]+$' },
  ),
});
/** Activation, deactivation and heartbeat answers, refusals included, are signed per request. */
const seatSigned = signatureHeader('Signed per request; send a fresh `nonce` and check it is echoed. Errors (problem+json: 400, 429) are not signed.');
const refused = {
  404: { description: 'No license matches the key.', schema: ClientKeyNotFound, headers: seatSigned },
  422: { description: 'Refused: the code says why, the detail says what to do.', schema: ClientRejection, headers: seatSigned },
};
const client = { tag: 'client', scope: null, rateLimited: true } as const;

/** Health, the document itself, and the client endpoints (authenticated by the license key). */
export const publicPaths = {
  '/healthz': {
    get: operation({ operationId: 'liveness', summary: 'Liveness: the process answers', tag: 'health', scope: null, database: false, responses: { 200: { description: 'Alive.', schema: Liveness } } }),
  },
  '/readyz': {
    get: operation({
      operationId: 'readiness',
      summary: 'Readiness: Postgres and Temporal answer',
      tag: 'health',
      scope: null,
      database: false,
      responses: { 200: { description: 'Ready.', schema: Readiness }, 503: { description: 'Not ready: see which component is down.', schema: Readiness } },
    }),
  },
  '/openapi.json': {
    get: operation({ operationId: 'openapi', summary: 'This OpenAPI document', tag: 'meta', scope: null, database: false, responses: { 200: { description: 'The document.', schema: OpenApiDocument } } }),
  },
  '/v1/validate': {
    post: operation({
      ...client,
      operationId: 'validateLicense',
      summary: 'Validate a license key',
      description:
        'Reads Postgres (through a cache), never waits on the lifecycle engine. An unknown key is a verdict (NOT_FOUND), not an error. ' +
        'While Postgres is unreachable, a license this server has validated recently is still answered, from its last known state, for up to VALIDATION_STALE_ON_ERROR_SECONDS (default 300) after that state was last known fresh; any other key answers 503 DATABASE_UNAVAILABLE with Retry-After.',
      body: { schema: ValidateRequest, required: true },
      responses: {
        200: {
          description: 'The verdict.',
          schema: ValidateResponse,
          headers: signatureHeader('Answers with a `nonce` are signed per request; without one, a signed answer may be reused for up to a second (only for the same `kwk`). Errors (problem+json: 400, 429) are not signed.'),
        },
      },
    }),
  },
  '/v1/activate': {
    post: operation({
      ...client,
      operationId: 'activateLicense',
      summary: 'Activate a device on a license',
      description: 'Idempotent for a device already active. Seats are counted under a lock on the license, so concurrent activations never exceed the limit.',
      body: { schema: ActivateRequest, required: true },
      responses: { 201: { description: 'Activated now.', schema: ActivateResponse, headers: seatSigned }, 200: { description: 'Already active.', schema: ActivateResponse, headers: seatSigned }, ...refused },
    }),
  },
  '/v1/deactivate': {
    post: operation({
      ...client,
      operationId: 'deactivateDevice',
      summary: 'Deactivate a device (self-service)',
      description: 'Frees the seat, within the plan\'s cap on deactivations per period.',
      body: { schema: DeactivateRequest, required: true },
      responses: { 200: { description: 'Deactivated.', schema: DeactivateResponse, headers: seatSigned }, ...refused },
    }),
  },
  '/v1/heartbeat': {
    post: operation({
      ...client,
      operationId: 'heartbeat',
      summary: 'Renew a concurrent lease',
      description: 'A lease that already lapsed lost its seat (HEARTBEAT_DEAD): activate again.',
      body: { schema: HeartbeatRequest, required: true },
      responses: { 200: { description: 'Recorded.', schema: HeartbeatResponse, headers: seatSigned }, ...refused },
    }),
  },
};
