import { z } from 'zod';
import { text } from '../../lib/text.ts';
import { auditedWrite } from '../../domain/audit/audited-write.ts';
import type { Acting } from '../../domain/staff/staff-deps.ts';
import { runStripeEvent } from '../../domain/stripe/run-stripe-event.ts';
import { loadStripeEvent } from '../../domain/stripe/stripe-event-log.ts';
import type { StripeProcessingDeps } from '../../domain/stripe/stripe-processing-deps.ts';
import { StripeEvent } from '../../schema/entities.ts';
import { STRIPE_EVENT_STATUSES } from '../../schema/stripe/stripe-event.entity.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { paginate, pageQuerySchema } from '../http/pagination.ts';
import { Problem } from '../http/problem.ts';
import { storedEventResource, stripeEventResource } from './stripe-event.resource.ts';
import { stripeEventNotApplied } from './stripe-event-fault.ts';

export const stripeEventIdParam = text().regex(/^evt_[A-Za-z0-9_]{1,250}$/, { message: 'must be a Stripe event id (evt_…)' });

export const listStripeEventsQuery = pageQuerySchema.extend({
  status: z.enum(STRIPE_EVENT_STATUSES).optional().describe('Only events with this processing status.'),
  type: text().max(100).optional().describe('Only events of this Stripe type, e.g. `invoice.paid`.'),
  subscription_id: text().max(255).optional().describe('Only events about this Stripe subscription.'),
});

/** Stored events, newest first, with what became of each. */
export function listStripeEvents(em: EntityManager, query: z.infer<typeof listStripeEventsQuery>) {
  const where: Record<string, unknown> = {};
  if (query.status) where.status = query.status;
  if (query.type) where.type = query.type;
  if (query.subscription_id) where.subscriptionId = query.subscription_id;
  return paginate(em, StripeEvent, where, query, stripeEventResource);
}

/**
 * Acts on a stored event again, whatever became of it before (e.g. FAILED for an unknown price,
 * once the plan lists it). Everything it does is idempotent: a license is provisioned once per
 * subscription, and a workflow applies each event id once. A replay that ran is audited
 * (`stripe_event.replayed`, with the reason and the status before and after), whatever became
 * of it: applied, or kept FAILED.
 */
export async function replayStripeEvent(deps: StripeProcessingDeps, id: string, acting: Acting, reason: string | null = null) {
  const stored = await loadStripeEvent(deps.em, id);
  if (!stored) throw new Problem('STRIPE_EVENT_NOT_FOUND', `no stored Stripe event ${id}`);
  const run = await runStripeEvent(deps, id, ['RECEIVED', 'FAILED', 'PROCESSED', 'IGNORED', 'DEFERRED']);
  if (!run.claimed) throw new Problem('STRIPE_EVENT_BUSY', `event ${id} is being processed right now; try again in a moment`);
  // A replay the server ran is recorded whatever became of it (applied, or kept FAILED).
  const after = await loadStripeEvent(deps.em, id);
  await auditedWrite(deps.em, acting, async () => ({
    result: null,
    event: {
      action: 'stripe_event.replayed',
      target: { type: 'stripe_event', id },
      reason,
      before: { type: stored.type, status: stored.status, error_code: stored.error_code },
      after: { status: after?.status ?? null, error_code: after?.error_code ?? null },
      licenseId: after?.license_id ?? stored.license_id,
    },
  }));
  if (run.fault) throw stripeEventNotApplied(id, run.fault, 'replay it again shortly');
  return storedEventResource(run.event!);
}
