import type { StripeEventStatus } from '../../schema/stripe/stripe-event.entity.ts';
import { claimStripeEvent, deferredEventIds, failedCheckoutIds, finishStripeEvent, loadStripeEvent, type StoredStripeEvent } from './stripe-event-log.ts';
import { processStripeEvent } from './process-stripe-event.ts';
import { StripeEventRejection, type StripeProcessingDeps } from './stripe-processing-deps.ts';

/** Code of a fault that a redelivery or replay may get past (Temporal or Postgres unavailable). */
export const DELIVERY_FAILED = 'DELIVERY_FAILED';
export const FAULT_MESSAGE = 'could not be applied now (the lifecycle engine or the database was unavailable); it is tried again on redelivery or replay, and the server log has the cause';

export interface RunOutcome {
  /** False when another process holds (or finished) the event: nothing was done here. */
  claimed: boolean;
  event: StoredStripeEvent | null;
  /** A transient fault: the caller asks Stripe to deliver again. */
  fault?: Error;
}

/**
 * Claims a recorded event (only one of any number of concurrent callers gets it), acts on it,
 * and records the outcome. After a checkout provisions a license, the events that waited for
 * it (DEFERRED) run in Stripe's creation order; a subscription event that arrives after its
 * checkout failed gives that checkout another try.
 */
export async function runStripeEvent(deps: StripeProcessingDeps, id: string, from: StripeEventStatus[]): Promise<RunOutcome> {
  const claimed = await claimStripeEvent(deps.em, id, from);
  if (!claimed) return { claimed: false, event: await loadStripeEvent(deps.em, id) };
  let provisioned: string | undefined;
  let waiting: string | undefined;
  let fault: Error | undefined;
  try {
    const result = await processStripeEvent(deps, claimed);
    provisioned = result.provisioned;
    if (result.status === 'DEFERRED' && claimed.type.startsWith('customer.subscription.')) waiting = result.subscriptionId ?? undefined;
    await finishStripeEvent(deps.em, id, result);
  } catch (error) {
    if (error instanceof StripeEventRejection) {
      await finishStripeEvent(deps.em, id, { status: 'FAILED', errorCode: error.code, error: error.message });
    } else {
      fault = error as Error;
      deps.logger.warn({ err: fault, stripeEvent: id }, 'a Stripe event could not be applied; it is retried on redelivery or replay');
      // The fault's own text (a driver error may quote query values) stays in the log.
      await finishStripeEvent(deps.em, id, { status: 'FAILED', errorCode: DELIVERY_FAILED, error: FAULT_MESSAGE }).catch(() => undefined);
    }
  }
  if (waiting) {
    // The subscription as Stripe sent it may provision a checkout that failed on what the API
    // answered before (the checkout arrived first): try those again with it.
    for (const checkout of await failedCheckoutIds(deps.em, waiting)) await runStripeEvent(deps, checkout, ['FAILED']);
  }
  if (provisioned) {
    for (const deferred of await deferredEventIds(deps.em, provisioned)) await runStripeEvent(deps, deferred, ['DEFERRED']);
  }
  return { claimed: true, event: await loadStripeEvent(deps.em, id), fault };
}
