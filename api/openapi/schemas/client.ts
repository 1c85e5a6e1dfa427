import { z } from 'zod';
import { activateRequestSchema } from '../../../domain/seats/activate-seat.ts';
import { deactivateRequestSchema } from '../../../domain/seats/deactivate-seat.ts';
import { heartbeatRequestSchema } from '../../../domain/seats/renew-lease.ts';
import { policyFields } from '../../../domain/plans/policy.schema.ts';
import { validateRequestSchema } from '../../validation/validate-license.ts';
import { requestSchema, responseSchema } from '../registry.ts';
import { ActivationRejectionCode, FailingValidationCode, LicenseStatus, PassingValidationCode, timestamp, uuid } from './common.ts';

// Request bodies: the very schemas the handlers parse with.
export const ValidateRequest = requestSchema('ValidateRequest', validateRequestSchema, 'Validate a key; send `fingerprint` (or `user`) to check that seat too, `features` to require them.');
export const ActivateRequest = requestSchema('ActivateRequest', activateRequestSchema, 'Activate this device (fingerprint) on the license; `user` is required by NAMED_USER plans.');
export const DeactivateRequest = requestSchema('DeactivateRequest', deactivateRequestSchema, 'Free the seat of this device.');
export const HeartbeatRequest = requestSchema('HeartbeatRequest', heartbeatRequestSchema, 'Renew the lease of this device (CONCURRENT plans); marks any activation as seen.');

/** Mirrors clientLicenseView() in api/validation/validate-license.ts. */
export const ClientLicense = responseSchema(
  'ClientLicense',
  z.object({
    id: uuid,
    status: LicenseStatus,
    plan: z.string().describe('The plan code.'),
    product: z.string().describe('The product code.'),
    tier: z.string(),
    features: policyFields.features,
    seat_model: policyFields.seat_model,
    seat_limit: z.number().int().min(1).nullable().describe('null: unlimited.'),
    current_activations: z.number().int().min(0).describe('Seats in use, as the seat model counts them.'),
    expires_at: timestamp.nullable(),
    trial_ends_at: timestamp.nullable(),
  }),
  'What the client software sees of its license.',
);

const verdict = {
  detail: z.string().describe('A sentence to show the user.'),
  license: ClientLicense.nullable().describe('null when no license matches the key (NOT_FOUND).'),
  cache_ttl: z.number().int().min(0).describe('Seconds the client may cache this verdict (0 for NOT_FOUND).'),
  scope: z
    .object({ fingerprint: z.string().optional(), domain: z.string().optional(), user: z.string().optional(), features: z.array(z.string()).optional() })
    .strict()
    .optional()
    .describe('What the verdict was decided on besides the key: the fingerprint, domain, user and features of the request, as read (trimmed), echoed inside the signed body so a client can tell its question was not changed on the way. Absent when only the key was sent.'),
  nonce: z.string().optional().describe('The nonce of the request, echoed inside the signed body: a client that sends a fresh nonce detects a replayed answer.'),
  ts: timestamp.describe('When the server decided. Without a nonce, a signed answer may be reused for up to a second, so `ts` may be that old.'),
};
export const ValidateResponse = responseSchema(
  'ValidateResponse',
  z.union([
    z.object({ valid: z.literal(true), code: PassingValidationCode, ...verdict }),
    z.object({ valid: z.literal(false), code: FailingValidationCode, ...verdict }),
  ]),
  'A verdict: always HTTP 200, also for an unknown key (NOT_FOUND). Branch on `code`.',
);

/** `nonce` and `ts` of an activation, deactivation or heartbeat answer (success or refusal), inside the signed body. */
const seatAnswer = {
  scope: z
    .object({ fingerprint: z.string() })
    .strict()
    .describe('The machine the answer was decided for (the fingerprint as read, trimmed), inside the signed body: a client can tell its request was not redirected to another machine on the way.'),
  nonce: z.string().optional().describe('The nonce of the request, echoed inside the signed body: a client that sends a fresh nonce detects a replayed answer.'),
  ts: timestamp.describe('When the server decided.'),
};

export const ClientActivation = responseSchema(
  'ClientActivation',
  z.object({ id: uuid, fingerprint: z.string(), lease_expires_at: timestamp.nullable().describe('CONCURRENT plans: when the lease lapses without a heartbeat.') }),
);

export const ActivateResponse = responseSchema(
  'ActivateResponse',
  z.object({
    valid: z.literal(true),
    code: z.literal('ACTIVATED'),
    detail: z.string(),
    created: z.boolean().describe('True when this call took the seat (201), false when the device already held it (200); inside the signed body, unlike the HTTP status.'),
    activation: ClientActivation,
    license: ClientLicense,
    ...seatAnswer,
  }),
  'The device holds a seat: 201 when activated now, 200 when it already was.',
);

export const DeactivateResponse = responseSchema(
  'DeactivateResponse',
  z.object({ code: z.literal('DEACTIVATED'), detail: z.string(), activation: z.object({ id: uuid }), license: ClientLicense, ...seatAnswer }),
  'The seat is free.',
);

export const HeartbeatResponse = responseSchema(
  'HeartbeatResponse',
  z.object({ code: z.literal('LEASE_RENEWED'), detail: z.string(), activation: z.object({ id: uuid, lease_expires_at: timestamp.nullable() }), ...seatAnswer }),
  'The heartbeat is recorded; CONCURRENT plans get a new lease end.',
);

export const ClientRejection = responseSchema(
  'ClientRejection',
  z.object({ valid: z.literal(false), code: ActivationRejectionCode, detail: z.string().describe('A sentence the user can act on.'), ...seatAnswer }),
  'A refusal the client can act on (HTTP 422).',
);

export const ClientKeyNotFound = responseSchema(
  'ClientKeyNotFound',
  z.object({ valid: z.literal(false), code: z.literal('NOT_FOUND'), detail: z.string(), ...seatAnswer }),
  'No license matches the key (HTTP 404). Sent as application/json, like the other client answers.',
);
