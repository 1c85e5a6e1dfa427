import type { Context, Next } from 'koa';
import type { Logger } from '../../lib/logger.ts';
import { DomainError, type DomainErrorCode } from '../../domain/domain-error.ts';
import { LifecycleUnavailable } from '../../domain/lifecycle/lifecycle-unavailable.ts';

/**
 * Every error code the HTTP API can answer with, and its status. One list, one map:
 * clients branch on `code`, never on the message.
 */
export const PROBLEM_STATUS = {
  INVALID_REQUEST: 400,
  INVALID_JSON: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  LICENSE_NOT_FOUND: 404,
  PRODUCT_NOT_FOUND: 404,
  PLAN_NOT_FOUND: 404,
  CUSTOMER_NOT_FOUND: 404,
  ACTIVATION_NOT_FOUND: 404,
  SIGNING_KEY_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  LICENSE_ALREADY_REVOKED: 409,
  PRODUCT_CODE_TAKEN: 409,
  PLAN_CODE_TAKEN: 409,
  CUSTOMER_CONFLICT: 409,
  PRODUCT_IN_USE: 409,
  PLAN_IN_USE: 409,
  CUSTOMER_IN_USE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  REASON_REQUIRED: 422,
  INVALID_DATE: 422,
  NOT_TRIALING: 409,
  SAME_PLAN: 409,
  ALREADY_SUSPENDED: 409,
  NOT_SUSPENDED: 409,
  LICENSE_EXPIRED: 409,
  SIGNING_KEY_ACTIVE: 409,
  LICENSE_NOT_ISSUABLE: 409,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  LIFECYCLE_UNAVAILABLE: 503,
  DATABASE_UNAVAILABLE: 503,
  STRIPE_SIGNATURE_INVALID: 400,
  STRIPE_EVENT_NOT_FOUND: 404,
  STRIPE_EVENT_BUSY: 409,
  STRIPE_NOT_CONFIGURED: 503,
  STRIPE_EVENT_NOT_APPLIED: 503,
  STRIPE_EVENT_INVALID: 400,
  // The outbox: a staff retry of a message.
  MESSAGE_NOT_FOUND: 404,
  MESSAGE_NOT_RETRYABLE: 409,
  MESSAGE_NOT_PENDING: 409,
  MESSAGE_CANNOT_SEND_NOW: 409,
  MESSAGE_DELIVERY_BUSY: 409,
  // Staff identity: sign-in, sessions, CSRF, staff, tokens, links, two-factor, single sign-on.
  INVALID_CREDENTIALS: 401,
  TWO_FACTOR_REQUIRED: 401,
  INVALID_TWO_FACTOR_CODE: 401,
  SESSION_EXPIRED: 401,
  ACCOUNT_DISABLED: 403,
  CROSS_ORIGIN_REQUEST: 403,
  CSRF_TOKEN_INVALID: 403,
  TWO_FACTOR_ENROLMENT_REQUIRED: 403,
  SCOPE_NOT_GRANTABLE: 403,
  STAFF_NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  API_TOKEN_NOT_FOUND: 404,
  LINK_INVALID: 404,
  SSO_NOT_CONFIGURED: 404,
  STAFF_EMAIL_TAKEN: 409,
  API_TOKEN_NAME_TAKEN: 409,
  LAST_OWNER: 409,
  NO_STAFF_OWNER: 409,
  SETUP_ALREADY_DONE: 409,
  TWO_FACTOR_ALREADY_ENABLED: 409,
  TWO_FACTOR_NOT_ENABLED: 409,
  TWO_FACTOR_NOT_STARTED: 409,
  TWO_FACTOR_REQUIRED_BY_OWNER: 409,
  LINK_EXPIRED: 410,
  LINK_ALREADY_USED: 410,
  WEAK_PASSWORD: 422,
  SSO_FAILED: 401,
  SSO_NOT_ALLOWED: 403,
  SIGN_IN_LOCKED: 429,
  // Key operations: rotate, resend the key e-mail, reset seats.
  KEY_EMAIL_UNAVAILABLE: 409,
  SEAT_RESET_OVER_CAP: 409,
  // The customer portal.
  PORTAL_LICENSE_NOT_FOUND: 404,
  DEACTIVATION_LIMIT_REACHED: 409,
  LICENSE_FILE_LIMIT_REACHED: 409,
  KEY_NOT_AVAILABLE: 409,
  RENEWAL_NOT_AVAILABLE: 409,
  EMAIL_SIGN_IN_UNAVAILABLE: 404,
  BILLING_UNAVAILABLE: 503,
  // Abuse detection.
  ABUSE_ALERT_NOT_FOUND: 404,
  ABUSE_ALERT_ALREADY_DISMISSED: 409,
  // Reports.
  REPORT_RANGE_TOO_LONG: 422,
  UNKNOWN_FILTER_VALUE: 422,
  // Bulk operations.
  BULK_OPERATION_NOT_FOUND: 404,
  BULK_OPERATION_FINISHED: 409,
  BULK_SELECTION_TOO_LARGE: 422,
  BULK_NOTHING_TO_CHANGE: 422,
} as const;

export type ProblemCode = keyof typeof PROBLEM_STATUS;

// Every code a domain operation refuses with has its status here (the compiler checks).
PROBLEM_STATUS satisfies Record<DomainErrorCode, number>;

export function isProblemCode(value: unknown): value is ProblemCode {
  return typeof value === 'string' && Object.hasOwn(PROBLEM_STATUS, value);
}

const TITLES: Record<ProblemCode, string> = {
  INVALID_REQUEST: 'The request is invalid',
  INVALID_JSON: 'The body is not valid JSON',
  UNAUTHORIZED: 'Authentication required',
  FORBIDDEN: 'Not allowed',
  LICENSE_NOT_FOUND: 'License not found',
  PRODUCT_NOT_FOUND: 'Product not found',
  PLAN_NOT_FOUND: 'Plan not found',
  CUSTOMER_NOT_FOUND: 'Customer not found',
  ACTIVATION_NOT_FOUND: 'Activation not found',
  SIGNING_KEY_NOT_FOUND: 'Signing key not found',
  ROUTE_NOT_FOUND: 'No such endpoint',
  METHOD_NOT_ALLOWED: 'Method not allowed',
  LICENSE_ALREADY_REVOKED: 'License already revoked',
  PRODUCT_CODE_TAKEN: 'Product code taken',
  PLAN_CODE_TAKEN: 'Plan code taken',
  CUSTOMER_CONFLICT: 'Customer already exists',
  PRODUCT_IN_USE: 'Product in use',
  PLAN_IN_USE: 'Plan in use',
  CUSTOMER_IN_USE: 'Customer in use',
  PAYLOAD_TOO_LARGE: 'The body is too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  REASON_REQUIRED: 'A reason is required',
  INVALID_DATE: 'Invalid date',
  NOT_TRIALING: 'Not a trial',
  SAME_PLAN: 'Already on that plan',
  ALREADY_SUSPENDED: 'Already suspended',
  NOT_SUSPENDED: 'Not suspended',
  LICENSE_EXPIRED: 'License expired',
  SIGNING_KEY_ACTIVE: 'The signing key is active',
  LICENSE_NOT_ISSUABLE: 'No offline token for this license',
  RATE_LIMITED: 'Too many requests',
  INTERNAL_ERROR: 'Internal error',
  LIFECYCLE_UNAVAILABLE: 'The lifecycle engine is unavailable',
  DATABASE_UNAVAILABLE: 'The database is unavailable',
  STRIPE_SIGNATURE_INVALID: 'The Stripe signature is missing or invalid',
  STRIPE_EVENT_NOT_FOUND: 'Stripe event not found',
  STRIPE_EVENT_BUSY: 'The Stripe event is being processed',
  STRIPE_NOT_CONFIGURED: 'Stripe is not configured',
  STRIPE_EVENT_NOT_APPLIED: 'The Stripe event could not be applied now',
  STRIPE_EVENT_INVALID: 'The Stripe event is malformed',
  MESSAGE_NOT_FOUND: 'Message not found',
  MESSAGE_NOT_RETRYABLE: 'The message is not one to retry',
  MESSAGE_NOT_PENDING: 'The message does not wait to be sent',
  MESSAGE_CANNOT_SEND_NOW: 'The message\'s delivery cannot be hurried',
  MESSAGE_DELIVERY_BUSY: 'The message\'s last delivery is still finishing',
  INVALID_CREDENTIALS: 'Wrong e-mail or password',
  TWO_FACTOR_REQUIRED: 'A two-factor code is required',
  INVALID_TWO_FACTOR_CODE: 'Wrong two-factor code',
  SESSION_EXPIRED: 'The session has ended',
  ACCOUNT_DISABLED: 'The staff account is disabled',
  CROSS_ORIGIN_REQUEST: 'Cross-origin write refused',
  CSRF_TOKEN_INVALID: 'Missing or wrong CSRF token',
  TWO_FACTOR_ENROLMENT_REQUIRED: 'Two-factor enrolment required',
  SCOPE_NOT_GRANTABLE: 'Scope beyond your own',
  STAFF_NOT_FOUND: 'Staff member not found',
  SESSION_NOT_FOUND: 'Session not found',
  API_TOKEN_NOT_FOUND: 'API token not found',
  LINK_INVALID: 'Unknown link',
  SSO_NOT_CONFIGURED: 'Single sign-on is not configured',
  STAFF_EMAIL_TAKEN: 'E-mail already used by a staff member',
  API_TOKEN_NAME_TAKEN: 'API token name taken',
  LAST_OWNER: 'The last owner must stay',
  NO_STAFF_OWNER: 'No staff owner yet',
  SETUP_ALREADY_DONE: 'Keywarden already has an owner',
  TWO_FACTOR_ALREADY_ENABLED: 'Two-factor already enabled',
  TWO_FACTOR_NOT_ENABLED: 'Two-factor not enabled',
  TWO_FACTOR_NOT_STARTED: 'No two-factor enrolment in progress',
  TWO_FACTOR_REQUIRED_BY_OWNER: 'Owners require two-factor',
  LINK_EXPIRED: 'The link has expired',
  LINK_ALREADY_USED: 'The link was already used',
  WEAK_PASSWORD: 'The password is too weak',
  SSO_FAILED: 'Single sign-on failed',
  SSO_NOT_ALLOWED: 'Not allowed by the single sign-on rules',
  SIGN_IN_LOCKED: 'Sign-in temporarily locked',
  KEY_EMAIL_UNAVAILABLE: 'The key cannot be e-mailed',
  SEAT_RESET_OVER_CAP: "The reset would pass the plan's deactivation cap",
  PORTAL_LICENSE_NOT_FOUND: 'You have no license with this id',
  DEACTIVATION_LIMIT_REACHED: 'No more seat frees this period',
  LICENSE_FILE_LIMIT_REACHED: 'No more license files this month',
  KEY_NOT_AVAILABLE: 'The key cannot be shown',
  RENEWAL_NOT_AVAILABLE: 'This license cannot be renewed online',
  EMAIL_SIGN_IN_UNAVAILABLE: 'Sign-in by e-mail is not available',
  BILLING_UNAVAILABLE: 'The billing page could not be opened',
  ABUSE_ALERT_NOT_FOUND: 'Abuse alert not found',
  ABUSE_ALERT_ALREADY_DISMISSED: 'Abuse alert already dismissed',
  REPORT_RANGE_TOO_LONG: 'The report\'s date range is too long',
  UNKNOWN_FILTER_VALUE: 'A filter names nothing that exists',
  BULK_OPERATION_NOT_FOUND: 'Bulk operation not found',
  BULK_OPERATION_FINISHED: 'The bulk operation has finished',
  BULK_SELECTION_TOO_LARGE: 'Too many licenses for one bulk operation',
  BULK_NOTHING_TO_CHANGE: 'The bulk operation would change nothing',
};

/** An expected failure of a request, rendered as RFC 9457 application/problem+json. */
export class Problem extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(code: ProblemCode, detail: string, options: { extra?: Record<string, unknown>; headers?: Record<string, string> } = {}) {
    super(detail);
    this.name = 'Problem';
    this.code = code;
    this.status = PROBLEM_STATUS[code];
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
  }
}

function render(ctx: Context, problem: Problem): void {
  ctx.status = problem.status;
  for (const [name, value] of Object.entries(problem.headers)) ctx.set(name, value);
  // Refused while its body is still arriving (a 415 or 401 before a large upload is read):
  // close after answering rather than read and discard the rest, however long it is.
  if (!ctx.req.complete) ctx.set('Connection', 'close');
  ctx.type = 'application/problem+json';
  ctx.body = {
    type: `https://keywarden.dev/problems/${problem.code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[problem.code],
    status: problem.status,
    code: problem.code,
    detail: problem.message,
    instance: ctx.path,
    ...problem.extra,
  };
}

/** 503 with Retry-After; `cause` says what Temporal answered (or that it did not). */
function lifecycleUnavailable(error: LifecycleUnavailable): Problem {
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return new Problem('LIFECYCLE_UNAVAILABLE', error.message, {
    extra: cause ? { cause } : {},
    headers: { 'Retry-After': String(error.retryAfterSeconds) },
  });
}

/**
 * Turns a fault of a dependency into its problem (e.g. Postgres unreachable: 503
 * DATABASE_UNAVAILABLE), or returns undefined for any other error. Such faults are the
 * translator's to report (once per outage), not a 500 logged per request.
 */
export type FaultTranslator = (error: unknown) => Problem | undefined;

/** The one error middleware: known problems as they are, dependency faults as their translators say, anything else as a logged 500. */
export function problemMiddleware(logger: Logger, options: { faults?: FaultTranslator[] } = {}) {
  const faults = options.faults ?? [];
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        render(ctx, new Problem('ROUTE_NOT_FOUND', `no endpoint ${ctx.method} ${ctx.path}`));
      }
    } catch (error) {
      if (error instanceof Problem) return render(ctx, error);
      if (error instanceof DomainError) return render(ctx, new Problem(error.code, error.message, { extra: error.extra }));
      if (error instanceof LifecycleUnavailable) return render(ctx, lifecycleUnavailable(error));
      const status = (error as { status?: number }).status;
      if (status === 405) return render(ctx, new Problem('METHOD_NOT_ALLOWED', `${ctx.method} is not allowed on ${ctx.path}`));
      for (const translate of faults) {
        const fault = translate(error);
        if (fault) return render(ctx, fault);
      }
      logger.error({ err: error, method: ctx.method, route: ctx._matchedRoute ?? ctx.path }, 'request failed');
      render(ctx, new Problem('INTERNAL_ERROR', 'an unexpected error occurred; it has been logged'));
    }
  };
}
