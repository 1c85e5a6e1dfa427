import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  defineUpdate,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import type { LicenseActivities } from '../activities/index.ts';

/** Backoff of one message's delivery (tests shorten it). */
export interface DeliveryRetry {
  initialIntervalMs: number;
  maximumIntervalMs: number;
  maximumAttempts: number;
}

/** About a day of attempts: 5 s doubling to 1 h, 30 tries; Retry-After overrides the gap. */
export const DEFAULT_DELIVERY_RETRY: DeliveryRetry = { initialIntervalMs: 5_000, maximumIntervalMs: 3_600_000, maximumAttempts: 30 };

/** Deliveries started before provider rate limits send at once; their histories replay unchanged. */
export const PROVIDER_RATE_LIMITS_PATCH = 'provider-rate-limits';

/**
 * Deliveries started before it send through an activity task only; their histories replay
 * unchanged. Since: the first send is a local activity, inside the workflow task that reserved
 * the send time.
 */
export const LOCAL_FIRST_SEND_PATCH = 'local-first-send';

/**
 * Staff's "send now" (POST /v1/messages/{id}/send-now): a delivery waiting to try again (its
 * backoff after a failure, or the provider's Retry-After) stops waiting, takes a new send time
 * within the provider's rate limit and sends.
 */
export const sendNowUpdate = defineUpdate<void>('sendNow');

/** Why a delivery refuses "send now" (its validator's failure type). */
export const SEND_NOW_REFUSED = 'SEND_NOW_REFUSED';

/** The longest a send waits for its send time in the worker (since the local first send); longer waits are durable timers. */
export const MAX_IN_PROCESS_WAIT_MS = 250;

/** A provider that keeps answering 429 this many times in a row for one message: the message is given up (FAILED). */
export const MAX_RATE_LIMITED_ROUNDS = 200;

export interface MessageDeliveryInput {
  outboxId: string;
  retry?: DeliveryRetry;
}

/** The provider's Retry-After that a delivery failure carries in its details (deliver-message.ts). */
function retryAfterIn(details: unknown[] | undefined | null): number | undefined {
  const first = details?.[0] as { retryAfterMs?: unknown } | undefined;
  return typeof first?.retryAfterMs === 'number' ? first.retryAfterMs : undefined;
}

export function messageWorkflowId(outboxId: string): string {
  return `message-${outboxId}`;
}

/**
 * Delivers one outbox message (id `message-<outbox id>`), apart from the license workflow so a
 * slow or failing provider never holds the lifecycle up. It first reserves the message's send
 * time within the provider's rate limit (shared by every worker) and waits for it on a durable
 * timer: a burst of 10,000 reminders waits here, in Temporal, not in a worker's memory. The
 * first send is a local activity (one try); after it the delivery activity retries with backoff
 * on 5xx and timeouts; a 429 pauses the provider for every delivery (Retry-After) and sends this
 * one back to reserve a new send time; a rejection (other 4xx) fails it at once. Staff's "send
 * now" (`sendNowUpdate`) ends a wait to try again: the delivery takes a new send time and sends
 * first again. Either way the outbox row ends SENT, FAILED (with the last error) or NOT_SENT.
 */
export async function messageDeliveryWorkflow(input: MessageDeliveryInput): Promise<{ status: string }> {
  const retry = input.retry ?? DEFAULT_DELIVERY_RETRY;
  // "Send now" needs no patch: a run that is not woken issues the commands it always did (the wait
  // to try again is still one timer, the activity still one scheduled task), so histories
  // recorded before it replay unchanged (message-delivery-retries.pre-send-now.json), and runs
  // started before it can be woken once a worker runs this code. No patch also means no marker
  // and no search-attribute upsert on every delivery. The asks are counted, with how many there
  // were when the last send began: one that comes during a send is not lost, it ends the wait
  // that follows that send.
  let wakes = 0;
  let wakesAtSend = 0;
  let givingUp = false;
  setHandler(
    sendNowUpdate,
    () => {
      wakes += 1;
    },
    {
      description: 'Stop waiting to try again: take a new send time within the rate limit and send.',
      // Refused where it would change nothing, so the caller is told instead of a silent no-op.
      validator: () => {
        if (givingUp) throw ApplicationFailure.nonRetryable('this delivery is giving up: the message ends FAILED; retry it then', SEND_NOW_REFUSED);
      },
    },
  );
  /** The delivery activity with the policy's backoff, for this many attempts. */
  const deliveryActivity = (maximumAttempts: number) =>
    proxyActivities<LicenseActivities>({
      startToCloseTimeout: '2 minutes',
      retry: { initialInterval: retry.initialIntervalMs, backoffCoefficient: 2, maximumInterval: retry.maximumIntervalMs, maximumAttempts },
      // Woken during an attempt, the delivery waits for that attempt's answer: never two at once.
      cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    }).deliverMessage;
  /** Waits to try again; true when "send now" ended the wait. */
  const waitToSendAgain = (ms: number | string): Promise<boolean> => condition(() => wakes > wakesAtSend, ms, { summary: 'Wait to send again' });
  /** Runs the delivery activity (its retries and their backoff); undefined when "send now" cut its backoff short. */
  const sendUnlessWoken = async <T>(send: () => Promise<T>): Promise<T | undefined> => {
    wakesAtSend = wakes;
    const sending = new CancellationScope();
    const watching = new CancellationScope();
    watching.run(() => condition(() => wakes > wakesAtSend)).then(() => sending.cancel(), () => undefined);
    try {
      return await sending.run(send);
    } catch (error) {
      // Cancelled in its backoff, or its last attempt failed after the ask: send again now.
      if (wakes > wakesAtSend && (isCancellation(error) || error instanceof ActivityFailure)) return undefined;
      throw error;
    } finally {
      watching.cancel();
    }
  };
  const deliverMessage = deliveryActivity(retry.maximumAttempts);
  const { markMessageFailed } = proxyActivities<LicenseActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
  // A local activity: one quick Postgres write, run inside the workflow task that asks for it,
  // so a burst of deliveries costs the server no extra task per message.
  const { reserveDeliverySlot } = proxyLocalActivities<LicenseActivities>({
    startToCloseTimeout: '10 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
  });
  // The first send, as a local activity: once, in the workflow task that reserved the send time
  // (or that its timer woke), so a key email leaves on the delivery's first task instead of
  // waiting for an activity task to make its way through a busy server. Anything but an answer
  // (an outage, a timeout) goes on to the activity and its backoff.
  const { deliverMessage: deliverLocally } = proxyLocalActivities<LicenseActivities>({
    startToCloseTimeout: '1 minute',
    retry: { maximumAttempts: 1 },
  });
  // After a failed first send: the policy's other attempts, the first of them after its initial
  // interval (or the provider's Retry-After), so the message gets the policy's attempts in all.
  const deliverAfterFirstSend = deliveryActivity(retry.maximumAttempts > 1 ? retry.maximumAttempts - 1 : retry.maximumAttempts);
  try {
    if (!patched(PROVIDER_RATE_LIMITS_PATCH)) return await deliverMessage.executeWithOptions({ summary: 'Deliver message' }, [{ outboxId: input.outboxId }]);
    let sendLocally = patched(LOCAL_FIRST_SEND_PATCH);
    for (let round = 1; ; round += 1) {
      const slot = await reserveDeliverySlot.executeWithOptions({ summary: 'Reserve a send time within the provider rate limit' }, [{ outboxId: input.outboxId }]);
      if (slot.status !== 'PENDING') return { status: slot.status };
      // Since the local first send: a send time a moment away is waited for by the send itself,
      // which costs less than a timer's round trip through a busy server.
      const waitInSend = sendLocally && slot.waitMs <= MAX_IN_PROCESS_WAIT_MS ? slot.waitMs : 0;
      if (slot.waitMs > 0 && !waitInSend) await sleep(slot.waitMs, { summary: 'Wait for the send time' });
      const send = { outboxId: input.outboxId, rateLimited: 'return' } as const;
      // Undefined: "send now" ended a wait to try again.
      let outcome: Awaited<ReturnType<typeof deliverMessage>> | undefined;
      if (sendLocally) {
        sendLocally = false;
        wakesAtSend = wakes;
        try {
          outcome = await deliverLocally.executeWithOptions({ summary: 'Deliver message (first send)' }, [{ ...send, ...(waitInSend ? { waitMs: waitInSend } : {}) }]);
        } catch (error) {
          // A local activity's failure comes as the activity's own ApplicationFailure.
          if (!(error instanceof ActivityFailure || error instanceof ApplicationFailure)) throw error;
          const failure = error instanceof ActivityFailure ? error.cause : error;
          const retryAfter = failure instanceof ApplicationFailure ? (failure.nextRetryDelay ?? retryAfterIn(failure.details)) : undefined;
          const woken = await waitToSendAgain(retryAfter ?? retry.initialIntervalMs);
          outcome = woken ? undefined : await sendUnlessWoken(() => deliverAfterFirstSend.executeWithOptions({ summary: 'Deliver message' }, [send]));
        }
      } else {
        outcome = await sendUnlessWoken(() => deliverMessage.executeWithOptions({ summary: 'Deliver message' }, [send]));
      }
      // Sent now: a new send time within the rate limit, then a first send again.
      if (outcome === undefined) {
        sendLocally = true;
        continue;
      }
      if (outcome.status !== 'RATE_LIMITED') return outcome;
      if (round >= MAX_RATE_LIMITED_ROUNDS) {
        givingUp = true;
        await markMessageFailed({ outboxId: input.outboxId, error: `gave up after the provider answered 429 (rate limited) ${round} times` });
        return { status: 'FAILED' };
      }
    }
  } catch (error) {
    const cause = error instanceof ActivityFailure && error.cause ? error.cause.message : (error as Error).message;
    givingUp = true;
    await markMessageFailed({ outboxId: input.outboxId, error: `gave up after ${retry.maximumAttempts} attempt(s): ${cause}` });
    return { status: 'FAILED' };
  }
}
