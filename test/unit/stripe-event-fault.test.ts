import { DriverException } from '@mikro-orm/core';
import { ServiceError } from '@temporalio/client';
import Stripe from 'stripe';
import { faultSource, stripeEventNotApplied } from '../../api/stripe/stripe-event-fault.ts';

describe('a Stripe event stopped by an outage names the dependency that did not answer, never the fault text', () => {
  it.each([
    ['the Stripe API', new Stripe.errors.StripeConnectionError({ message: 'socket hang up' })],
    ['the Stripe API', new Stripe.errors.StripeAPIError({ message: 'upstream 503' })],
    ['the database', new DriverException(new Error('connect ECONNREFUSED'))],
    // pg's own failures, unwrapped (a transaction's connection refused or cut).
    ['the database', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['the database', new Error('Connection terminated unexpectedly')],
    ['the lifecycle engine (Temporal)', new ServiceError('14 UNAVAILABLE: connection refused')],
    ['a dependency', new Error('something else')],
  ])('names %s', (source, fault) => {
    expect(faultSource(fault)).toBe(source);
    const problem = stripeEventNotApplied('evt_1', fault, 'Stripe will deliver it again');
    expect(problem).toMatchObject({ code: 'STRIPE_EVENT_NOT_APPLIED', status: 503 });
    expect(problem.message).toContain(`evt_1 is recorded but could not be applied now: ${source} did not answer`);
    expect(problem.message).not.toContain(fault.message);
  });
});
