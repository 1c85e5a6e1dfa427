import { z } from 'zod';
import { lifecycleSchemas, type LifecycleOperation } from '../../../domain/licenses/run-lifecycle-command.ts';
import type { ProblemCode } from '../../http/problem.ts';
import { operation } from '../operation.ts';
import { requestSchema, responseSchema } from '../registry.ts';
import { LicenseDetail } from '../schemas/licenses.ts';

const tag = 'licenses';
const id = { id: 'The license id.' };

const PlanChangePreview = responseSchema(
  'PlanChangePreview',
  z.object({
    dry_run: z.literal(true),
    from_plan: z.string(),
    to_plan: z.string(),
    effective_at: z.string().describe('`now`, or the end of the period (ISO-8601).'),
    changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
  }),
  'What a plan change would do to the effective policy, field by field.',
);

const ChangePlanResponse = responseSchema('ChangePlanResponse', z.union([LicenseDetail, PlanChangePreview]), 'The license after the change, or the preview for a dry run.');

const Timeline = responseSchema(
  'LicenseTimeline',
  z.object({
    status: z.string(),
    expires_at: z.string().nullable(),
    trial_ends_at: z.string().nullable(),
    scheduled_plan_change: z.object({ plan: z.string(), effective_at: z.string() }).nullable(),
    upcoming: z.array(z.object({ at: z.string(), kind: z.string(), days_before: z.number().nullable(), summary: z.string() })),
  }),
  'What the license workflow will do next, and when.',
);

const OPERATIONS: Record<LifecycleOperation, { summary: string; problems: ProblemCode[] }> = {
  'extend-trial': { summary: 'Extend a trial', problems: ['NOT_TRIALING', 'INVALID_DATE'] },
  'change-plan': { summary: 'Change the plan, now or at the end of the period (dry_run previews)', problems: ['PLAN_NOT_FOUND', 'SAME_PLAN'] },
  suspend: { summary: 'Suspend', problems: ['ALREADY_SUSPENDED', 'LICENSE_EXPIRED'] },
  reinstate: { summary: 'Lift a suspension', problems: ['NOT_SUSPENDED'] },
  renew: { summary: 'Renew the same key to a later expiry (converts a trial)', problems: ['INVALID_DATE'] },
  'set-expiry': { summary: 'Set the expiry date (null: perpetual)', problems: ['INVALID_DATE'] },
};

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** The admin lifecycle operations: validated updates of the license's workflow. */
export const lifecyclePaths = {
  ...Object.fromEntries(
    (Object.keys(OPERATIONS) as LifecycleOperation[]).map((name) => [
      `/v1/licenses/{id}/${name}`,
      {
        post: operation({
          tag,
          operationId: `${camel(name)}License`,
          summary: OPERATIONS[name].summary,
          description: 'A validated update of the license\'s workflow; the answer is the license after the change. Rejections are 409/422 problems.',
          scope: 'licenses:write',
          pathParams: id,
          body: { schema: requestSchema(`${camel(name)}Request`, lifecycleSchemas[name]), required: true },
          responses: { 200: { description: 'The license after the change (or the preview, for a dry run).', schema: name === 'change-plan' ? ChangePlanResponse : LicenseDetail } },
          problems: ['LICENSE_NOT_FOUND', 'LICENSE_ALREADY_REVOKED', 'REASON_REQUIRED', 'LIFECYCLE_UNAVAILABLE', ...OPERATIONS[name].problems],
        }),
      },
    ]),
  ),
  '/v1/licenses/{id}/timeline': {
    get: operation({
      tag,
      operationId: 'licenseTimeline',
      summary: 'Upcoming reminders, expiry, grace ends and scheduled plan change',
      scope: 'licenses:read',
      pathParams: id,
      responses: { 200: { description: 'The timeline.', schema: Timeline } },
      problems: ['LICENSE_NOT_FOUND', 'LIFECYCLE_UNAVAILABLE'],
    }),
  },
};
