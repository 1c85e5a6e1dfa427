import { DriverException } from '@mikro-orm/core';
import pg from 'pg';
import Stripe from 'stripe';
import { isTemporalFault } from '../../temporal/call-deadline.ts';
import { isDatabaseUnavailable } from '../../lib/database-unavailable.ts';
import { Problem } from '../http/problem.ts';

/**
 * Which dependency a transient fault came from, for the answer. The fault's own text stays in
 * the server log: a driver error may quote query values, an API error the request it refused.
 */
export function faultSource(fault: Error): string {
  if (fault instanceof Stripe.errors.StripeError) return 'the Stripe API';
  if (fault instanceof DriverException || fault instanceof pg.DatabaseError) return 'the database';
  if (isTemporalFault(fault)) return 'the lifecycle engine (Temporal)';
  // pg's own connection failures (refused, terminated) come as plain errors.
  if (isDatabaseUnavailable(fault)) return 'the database';
  return 'a dependency';
}

/** 503 for an event a transient fault stopped: it stays recorded, and `retry` says who tries again. */
export function stripeEventNotApplied(id: string, fault: Error | undefined, retry: string): Problem {
  const source = fault ? faultSource(fault) : 'a dependency';
  return new Problem('STRIPE_EVENT_NOT_APPLIED', `event ${id} is recorded but could not be applied now: ${source} did not answer; ${retry} (the server log has the cause)`);
}
