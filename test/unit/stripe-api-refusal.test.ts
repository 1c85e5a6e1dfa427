import Stripe from 'stripe';
import { stripeApiRefusal } from '../../domain/stripe/stripe-api-refusal.ts';

const raw = (statusCode: number, type: 'invalid_request_error' | 'api_error' = 'invalid_request_error') => ({ message: 'The provided key rk_live_abc*** does not have the required permissions', type, statusCode, code: 'secret_key_required' });

describe('a request the Stripe API refused is a rejection kept for a replay; an outage is not', () => {
  it.each([
    ['a missing permission (403)', new Stripe.errors.StripePermissionError(raw(403))],
    ['a wrong key (401)', new Stripe.errors.StripeAuthenticationError(raw(401))],
    ['a missing object (404)', new Stripe.errors.StripeInvalidRequestError(raw(404))],
  ])('refuses on %s, without Stripe\'s message', (_what, error) => {
    const rejection = stripeApiRefusal(error);
    expect(rejection).toMatchObject({ code: 'STRIPE_API_REFUSED', message: expect.stringContaining(`HTTP ${error.statusCode}`) });
    expect(rejection!.message).not.toContain('rk_live');
  });

  it.each([
    ['a rate limit (429)', new Stripe.errors.StripeRateLimitError(raw(429))],
    ['a conflict (409)', new Stripe.errors.StripeIdempotencyError(raw(409))],
    ['an outage (503)', new Stripe.errors.StripeAPIError(raw(503, 'api_error'))],
    ['a dropped connection', new Stripe.errors.StripeConnectionError({ message: 'socket hang up' })],
    ['an error that is not Stripe\'s', new Error('boom')],
  ])('leaves %s to redelivery', (_what, error) => {
    expect(stripeApiRefusal(error)).toBeNull();
  });
});
