import { z } from 'zod';
import { resendLicenseKeySchema } from '../../../domain/licenses/resend-license-key.ts';
import { rotateLicenseKeySchema } from '../../../domain/licenses/rotate-license-key.ts';
import { resetLicenseSeatsSchema } from '../../../domain/seats/reset-license-seats.ts';
import { MAX_BULK_ROTATIONS, rotateKeysSchema } from '../../licenses/key-operation.routes.ts';
import { operation } from '../operation.ts';
import { requestSchema, responseSchema } from '../registry.ts';
import { timestamp, uuid } from '../schemas/common.ts';
import { keyHintPattern, License, licenseKeyPattern } from '../schemas/licenses.ts';

const tag = 'licenses';
const id = { id: 'The license id.' };
const keyHint = z.string().regex(keyHintPattern);

const KeyEmail = responseSchema(
  'KeyEmail',
  z.object({
    status: z.enum(['queued', 'not_queued']).describe('`queued`: recorded in the outbox (see `GET /v1/licenses/{id}/messages` for its delivery).'),
    outbox_id: uuid.nullable(),
    reason: z.string().nullable().describe('Why it was not queued (`not requested` for `notify: false`).'),
  }),
  'The e-mail that carries the key: it reads the key from its encrypted copy at delivery, so no log, outbox row or workflow history holds it.',
);

const RotateKeyRequest = requestSchema('RotateKeyRequest', rotateLicenseKeySchema, 'Why the key is replaced, and how long the old key keeps working (at most 7 days).');
const RotatedKey = responseSchema(
  'RotatedKey',
  License.extend({
    key: z.string().regex(licenseKeyPattern).describe('The new key: shown this once, and e-mailed.'),
    rotation: z.object({
      previous_key_hint: keyHint,
      previous_key_works_until: timestamp.describe('After this the old key answers `KEY_ROTATED` (the rotation\'s time when there is no overlap).'),
      overlap_seconds: z.number().int().min(0),
      email: KeyEmail,
    }),
  }),
  'The license with its new key.',
);

const RotateKeysRequest = requestSchema('RotateKeysRequest', rotateKeysSchema, `Up to ${MAX_BULK_ROTATIONS} licenses, each rotated as by \`rotate-key\`, with one reason and overlap.`);
const RotatedKeys = responseSchema(
  'RotatedKeys',
  z.object({
    rotated: z.number().int().min(0),
    refused: z.number().int().min(0),
    results: z.array(
      z.object({
        license_id: uuid,
        status: z.enum(['rotated', 'refused']),
        key_hint: keyHint.nullable(),
        previous_key_hint: keyHint.nullable(),
        previous_key_works_until: timestamp.nullable(),
        email: KeyEmail.nullable(),
        code: z.string().nullable().describe('A refusal\'s problem code (`LICENSE_NOT_FOUND`, `LICENSE_ALREADY_REVOKED`).'),
        detail: z.string().nullable(),
      }),
    ),
  }),
  'One result per license, in the order asked. New keys are not in the answer: they are e-mailed (or sent again later with `resend-key`).',
);

const ResendKeyRequest = requestSchema('ResendKeyRequest', resendLicenseKeySchema, 'Optional: why the key is sent again (goes to the audit trail).');
const ResentKey = responseSchema('ResentKey', z.object({ license_id: uuid, key_hint: keyHint, recipient: z.string(), email: KeyEmail }), 'The key e-mail queued for the customer.');

const ResetSeatsRequest = requestSchema('ResetSeatsRequest', resetLicenseSeatsSchema, 'Why every seat is freed; `override_cap` (scope `seats:override-cap`) frees them beyond the plan\'s deactivation cap.');
const SeatsReset = responseSchema(
  'SeatsReset',
  License.extend({
    reset: z.object({
      freed: z.number().int().min(0),
      cap_overridden: z.boolean(),
      cap: z.object({ limit: z.number().int(), period_days: z.number().int(), used: z.number().int().min(0), remaining: z.number().int().min(0) }).nullable().describe('The plan\'s deactivation cap after the reset; null when the plan sets none.'),
    }),
  }),
  'The license after its seats were freed.',
);

/** Key rotation, the key e-mail sent again, seat resets (api/licenses/key-operation.routes.ts). */
export const keyOperationPaths = {
  '/v1/licenses/{id}/rotate-key': {
    post: operation({
      tag,
      operationId: 'rotateLicenseKey',
      summary: 'Replace a license\'s key (a leaked key)',
      description:
        'Same license, new key: activations, status and dates stay. The old key stops at once, or when `overlap_seconds` (at most 604800, 7 days) have passed, then validation answers `KEY_ROTATED` for it (and seat calls refuse it with the same code). Every API replica forgets the old key at once. The new key is e-mailed (unless `notify: false`) and shown in this answer only; the rotation is audited with its reason.',
      scope: 'keys:rotate',
      pathParams: id,
      body: { schema: RotateKeyRequest, required: true },
      responses: { 200: { description: 'The license with its new key.', schema: RotatedKey } },
      problems: ['LICENSE_NOT_FOUND', 'LICENSE_ALREADY_REVOKED'],
    }),
  },
  '/v1/licenses/rotate-keys': {
    post: operation({
      tag,
      operationId: 'rotateLicenseKeys',
      summary: 'Replace the keys of many licenses (owners)',
      description: `Up to ${MAX_BULK_ROTATIONS} license ids, each rotated in its own transaction; a license that cannot be rotated is reported, not fatal.`,
      scope: 'keys:rotate-many',
      body: { schema: RotateKeysRequest, required: true },
      responses: { 200: { description: 'One result per license.', schema: RotatedKeys } },
    }),
  },
  '/v1/licenses/{id}/resend-key': {
    post: operation({
      tag,
      operationId: 'resendLicenseKey',
      summary: 'E-mail the key to the customer again',
      description: 'Queues the key e-mail (the license\'s current key, read from its encrypted copy at delivery). Audited.',
      scope: 'keys:send',
      pathParams: id,
      body: { schema: ResendKeyRequest, required: false },
      responses: { 202: { description: 'Queued.', schema: ResentKey } },
      problems: ['LICENSE_NOT_FOUND', 'LICENSE_ALREADY_REVOKED', 'KEY_EMAIL_UNAVAILABLE'],
    }),
  },
  '/v1/licenses/{id}/reset-seats': {
    post: operation({
      tag,
      operationId: 'resetLicenseSeats',
      summary: 'Free every seat of a license',
      description:
        'Deactivates every live activation (they stay in the history). The seats freed, with the period\'s self-service frees and earlier resets, may not pass the plan\'s deactivation cap (`409 SEAT_RESET_OVER_CAP`), unless `override_cap` is sent by a holder of `seats:override-cap`. Audited with the reason.',
      scope: 'seats:write',
      pathParams: id,
      body: { schema: ResetSeatsRequest, required: true },
      responses: { 200: { description: 'The license after the reset.', schema: SeatsReset } },
      problems: ['LICENSE_NOT_FOUND', 'SEAT_RESET_OVER_CAP', 'FORBIDDEN'],
    }),
  },
};
