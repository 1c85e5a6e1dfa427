import { z } from 'zod';
import { PROBLEM_STATUS, type ProblemCode as Code } from '../../http/problem.ts';
import { policyFields } from '../../../domain/plans/policy.schema.ts';
import { LICENSE_STATUSES } from '../../../schema/license/license-status.ts';
import { ACTIVATION_REJECTION_CODES, VALIDATION_CODES, type ValidationCode as Verdict } from '../../../domain/licenses/validation-codes.ts';
import { requestSchema, responseSchema } from '../registry.ts';

export const uuid = z.uuid();
/** Timestamps the API writes: `Date.toISOString()`, always UTC. */
export const timestamp = z.iso.datetime();
export const metadata = z.record(z.string(), z.unknown());

const bullets = (entries: [string, string][]) => entries.map(([code, meaning]) => `- \`${code}\`: ${meaning}`).join('\n');

// Enums shared by requests and responses carry the same name in both directions.
for (const [id, schema, description] of [
  ['SeatModel', policyFields.seat_model, 'How seats are counted: machines (DEVICE), distinct users (NAMED_USER) or unexpired leases (CONCURRENT).'],
  ['TermKind', policyFields.term_kind, 'How a license term ends: never (PERPETUAL), after term_days (DURATION) or on term_ends_at (FIXED_END).'],
  ['Features', policyFields.features, 'Feature flags and limits: name to boolean, number or string.'],
] as const) {
  responseSchema(id, schema, description);
  requestSchema(id, schema, description);
}

export const LicenseStatus = responseSchema('LicenseStatus', z.enum(LICENSE_STATUSES), 'The lifecycle state of a license.');

const codes = Object.keys(VALIDATION_CODES) as Verdict[];
const meaning = (code: Verdict): [string, string] => [code, VALIDATION_CODES[code].meaning];
const passing = codes.filter((code) => VALIDATION_CODES[code].valid);
const failing = codes.filter((code) => !VALIDATION_CODES[code].valid);

export const ValidationCode = responseSchema(
  'ValidationCode',
  z.enum(codes as [Verdict, ...Verdict[]]),
  `Stable codes of a validation verdict. \`valid\` is true for ${passing.join(', ')}.\n\n${bullets(codes.map(meaning))}`,
);
export const PassingValidationCode = responseSchema(
  'PassingValidationCode',
  z.enum(passing as [Verdict, ...Verdict[]]),
  `Verdicts with \`valid: true\`: the software keeps working.\n\n${bullets(passing.map(meaning))}`,
);
export const FailingValidationCode = responseSchema(
  'FailingValidationCode',
  z.enum(failing as [Verdict, ...Verdict[]]),
  `Verdicts with \`valid: false\`.\n\n${bullets(failing.map(meaning))}`,
);

export const ActivationRejectionCode = responseSchema(
  'ActivationRejectionCode',
  z.enum(ACTIVATION_REJECTION_CODES),
  'Stable codes an activation, deactivation or heartbeat is refused with (HTTP 422). ' +
    'USER_REQUIRED: the plan counts named users and no `user` was sent. ' +
    'DEACTIVATION_LIMIT_REACHED: the self-service deactivations of the period are used up. ' +
    'The other codes mean what they mean in a validation.',
);

export const PROBLEM_CODES = Object.keys(PROBLEM_STATUS) as Code[];
export const ProblemCode = responseSchema(
  'ProblemCode',
  z.enum(PROBLEM_CODES as [Code, ...Code[]]),
  `Stable error codes, each with one HTTP status:\n\n${bullets(PROBLEM_CODES.map((code) => [code, `HTTP ${PROBLEM_STATUS[code]}`]))}`,
);

export const Problem = responseSchema(
  'Problem',
  z.object({
    type: z.url(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    code: ProblemCode,
    detail: z.string(),
    instance: z.string(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('Every invalid field of the request (INVALID_REQUEST); `(body)` for the body as a whole.'),
    cause: z.string().optional().describe('Why the lifecycle engine refused (LIFECYCLE_UNAVAILABLE).'),
    cap: z
      .object({ seats: z.number().int(), limit: z.number().int(), period_days: z.number().int(), used: z.number().int(), remaining: z.number().int() })
      .optional()
      .describe('SEAT_RESET_OVER_CAP: the seats a reset would free, and the plan\'s deactivation cap (limit per period, used, remaining).'),
  }),
  'An error (RFC 9457, `application/problem+json`). Clients branch on `code`, never on the text.',
);

/** A page of a list, newest first: pass `next_cursor` as `cursor` for the next one. */
export function page<T extends z.ZodType>(id: string, item: T) {
  return responseSchema(
    id,
    z.object({ data: z.array(item), has_more: z.boolean(), next_cursor: z.string().nullable() }),
    'One page, newest first. While `has_more` is true, request the next page with `cursor` set to `next_cursor`.',
  );
}
