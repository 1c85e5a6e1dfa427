/** Socket errors that mean Postgres cannot be reached, or dropped the connection. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * SQLSTATEs of a server that is there but not serving: connection exceptions (class 08, but a
 * protocol violation), an administrator's or a crash's shutdown (57P01, 57P02), a server still
 * starting or already stopping (57P03), and no connection slot left (53300).
 */
const SERVER_CODES = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03', '53300']);

/**
 * What `pg` and `pg-pool` throw without a code: a connection that died under a query
 * ("Connection terminated unexpectedly"), a connect that timed out ("… due to connection
 * timeout"), a client broken by an earlier error, and a pool that found no connection in time.
 */
const DRIVER_MESSAGES: Array<[RegExp, string]> = [
  [/\bConnection terminated\b/, 'connection terminated'],
  [/\bClient has encountered a connection error and is not queryable\b/, 'connection broken'],
  [/\btimeout exceeded when trying to connect\b/, 'pool timeout'],
];

type ErrorLike = { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };

/**
 * Why a failure means that Postgres is unreachable (a short, safe label for the log: never the
 * driver's whole message, which may quote a query), or undefined when it means anything else.
 * The one place that decides it: the error middleware's 503, the outage tracker, the stale
 * validation answers and the activation batches all ask here. MikroORM wraps pg's errors but
 * copies their `code` and message; Node reports a host with several addresses as an
 * AggregateError; anything may come as the `cause` of another error.
 */
export function databaseUnavailableReason(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined;
  const { code, message, cause, errors } = error as ErrorLike;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_CODES.has(code))) return code;
  if (typeof message === 'string') {
    const known = DRIVER_MESSAGES.find(([pattern]) => pattern.test(message));
    if (known) return known[1];
  }
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const reason = databaseUnavailableReason(inner, depth + 1);
      if (reason) return reason;
    }
  }
  return cause === undefined ? undefined : databaseUnavailableReason(cause, depth + 1);
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return databaseUnavailableReason(error) !== undefined;
}

/** How long a client is asked to wait before trying again (a restart or a failover takes seconds). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
