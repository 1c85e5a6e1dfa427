/**
 * The lifecycle engine (Temporal) did not answer: unreachable, or not within the call's deadline
 * (TEMPORAL_CALL_TIMEOUT), or the license has no running workflow to answer. Nothing the call
 * would have changed was changed by the caller (an operation that wrote first undoes its write);
 * asking again later is the remedy, after `retryAfterSeconds`. The API answers it 503
 * LIFECYCLE_UNAVAILABLE with Retry-After.
 */
export class LifecycleUnavailable extends Error {
  readonly retryAfterSeconds: number;

  constructor(detail: string, options: { retryAfterSeconds: number; cause?: unknown }) {
    super(detail, { cause: options.cause });
    this.name = 'LifecycleUnavailable';
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
