import { isGrpcServiceError, ServiceError, WorkflowNotFoundError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import { LifecycleUnavailable } from '../domain/lifecycle/lifecycle-unavailable.ts';

/** gRPC status codes that mean "the server was not reached, or did not answer in time": 14 UNAVAILABLE, 4 DEADLINE_EXCEEDED. */
const UNREACHABLE = new Set<number>([14, 4]);

/** True when `error` (or what it wraps) says Temporal could not be reached or did not answer in time. */
export function isUnreachable(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 5; cause = (cause as { cause?: unknown }).cause, depth += 1) {
    if (cause instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
    if (isGrpcServiceError(cause) && UNREACHABLE.has(cause.code)) return true;
    if ((cause as { code?: unknown }).code === 'ECONNREFUSED') return true;
  }
  return false;
}

/** Runs one call to Temporal under the caller's deadline (LifecycleClient's), naming it for the fault's message. */
export type TemporalCall = <T>(what: string, call: () => Promise<T>) => Promise<T>;

/** True when `error` came from talking to Temporal (any service error, or the lifecycle's unavailability). */
export function isTemporalFault(error: unknown): boolean {
  return error instanceof LifecycleUnavailable || error instanceof ServiceError || isGrpcServiceError(error);
}

/**
 * Runs `call` against Temporal with a deadline `timeoutMs` from now: the gRPC deadline bounds
 * every request in it (the SDK's own retries of an unreachable server included), and the caller
 * is answered at the deadline even should a request overrun it. Unreachability and a missed
 * deadline become one fault, LifecycleUnavailable; a license without a running workflow too,
 * unless the caller handles WorkflowNotFoundError itself (`notFound: 'rethrow'`).
 */
export async function callWithDeadline<T>(
  client: Pick<Client, 'withDeadline'>,
  options: { timeoutMs: number; what: string; notFound?: 'rethrow'; inFlight?: Set<Promise<unknown>> },
  call: () => Promise<T>,
): Promise<T> {
  const retryAfterSeconds = Math.max(1, Math.ceil(options.timeoutMs / 1000));
  let timer: NodeJS.Timeout | undefined;
  const work = client.withDeadline(Date.now() + options.timeoutMs, call);
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LifecycleUnavailable(`the lifecycle engine (Temporal) did not answer within ${options.timeoutMs} ms (${options.what}); try again shortly`, { retryAfterSeconds })), options.timeoutMs);
  });
  // Answered at the deadline, the call may still settle later: nobody is waiting for it then, but
  // whoever closes the connection waits for it (the SDK's retry of an unreachable server would
  // otherwise fire on a closed channel and throw where nothing can catch it).
  const settled = work.then(
    () => undefined,
    () => undefined,
  );
  if (options.inFlight) {
    const inFlight = options.inFlight;
    inFlight.add(settled);
    void settled.then(() => inFlight.delete(settled));
  }
  try {
    return await Promise.race([work, expired]);
  } catch (error) {
    if (error instanceof LifecycleUnavailable) throw error;
    if (isUnreachable(error)) {
      throw new LifecycleUnavailable(`the lifecycle engine (Temporal) is unreachable (${options.what}); try again shortly`, { retryAfterSeconds, cause: error });
    }
    if (error instanceof WorkflowNotFoundError && options.notFound !== 'rethrow') {
      throw new LifecycleUnavailable('this license has no running lifecycle workflow; reconciliation will restore it', { retryAfterSeconds, cause: error });
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
