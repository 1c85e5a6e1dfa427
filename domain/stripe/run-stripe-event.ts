import type { StripeEventStatus } from '../../schema/stripe/stripe-event.entity.ts';
import { claimStripeEvent, failedCheckoutIds, finishStripeEvent, keepForRedelivery, loadStripeEvent, waitingEventIds, type StoredStripeEvent } from './stripe-event-log.ts';
import { processStripeEvent } from './process-stripe-event.ts';
import { stripeApiRefusal } from './stripe-api-refusal.ts';
import { StripeEventRejection, type StripeProcessingDeps } from './stripe-processing-deps.ts';

/** Code of a fault that a redelivery or replay may get past (the Stripe API, Temporal or Postgres unavailable). */
export const DELIVERY_FAILED = 'DELIVERY_FAILED';
export const FAULT_MESSAGE =
  'could not be applied now (the Stripe API, the lifecycle engine or the database was unavailable); it is tried again on redelivery or replay, and the server log has the cause';
export const RELEASED_FAULT_MESSAGE =
  'was applied, but events that waited for it could not be applied now (the Stripe API, the lifecycle engine or the database was unavailable); they are tried again on this event\'s redelivery or replay, and the server log has the cause';

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
 * checkout failed gives that checkout another try. Stripe has already been answered for the
 * events run that way, so when one of them meets a fault, this event answers the fault and is
 * kept FAILED: its redelivery runs them again, and nothing waits on a delivery that never comes.
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
    const refusal = stripeApiRefusal(error);
    if (refusal) deps.logger.warn({ err: error, stripeEvent: id }, 'the Stripe API refused a request for a Stripe event; it is kept FAILED for a replay');
    const rejection = error instanceof StripeEventRejection ? error : refusal;
    if (rejection) {
      await finishStripeEvent(deps.em, id, { status: 'FAILED', errorCode: rejection.code, error: rejection.message });
    } else {
      fault = error as Error;
      deps.logger.warn({ err: fault, stripeEvent: id }, 'a Stripe event could not be applied; it is retried on redelivery or replay');
      // The fault's own text (a driver error may quote query values) stays in the log.
      await finishStripeEvent(deps.em, id, { status: 'FAILED', errorCode: DELIVERY_FAILED, error: FAULT_MESSAGE }).catch(() => undefined);
    }
  }
  let released: Error | undefined;
  /** Runs them in order, up to the first fault: the rest wait for this event's redelivery. */
  const release = async (ids: string[], from: StripeEventStatus[]) => {
    for (const next of ids) {
      released = (await runStripeEvent(deps, next, from)).fault;
      if (released) return;
    }
  };
  if (waiting) {
    // The subscription as Stripe sent it may provision a checkout that failed on what the API
    // answered before (the checkout arrived first): try those again with it.
    await release(await failedCheckoutIds(deps.em, waiting), ['FAILED']);
  }
  if (provisioned) await release(await waitingEventIds(deps.em, provisioned, DELIVERY_FAILED), ['DEFERRED', 'FAILED']);
  if (released && !fault) {
    fault = released;
    await keepForRedelivery(deps.em, id, { errorCode: DELIVERY_FAILED, error: RELEASED_FAULT_MESSAGE }).catch(() => undefined);
  }
  return { claimed: true, event: await loadStripeEvent(deps.em, id), fault };
}
