import Stripe from 'stripe';
import { StripeEventRejection } from './stripe-processing-deps.ts';

/**
 * A request the Stripe API answered and refused (4xx other than 409 and 429: the key lacks a
 * permission, the object does not exist): asking again changes nothing until the key or the
 * account is fixed, so the event is kept FAILED for a replay instead of being redelivered for
 * days. Stripe's own message stays in the server log (it may quote the key's prefix).
 */
export function stripeApiRefusal(error: unknown): StripeEventRejection | null {
  if (!(error instanceof Stripe.errors.StripeError)) return null;
  const status = error.statusCode;
  if (status === undefined || status < 400 || status >= 500 || status === 409 || status === 429) return null;
  const what = [error.type, error.code].filter(Boolean).join(', ');
  return new StripeEventRejection(
    'STRIPE_API_REFUSED',
    `the Stripe API refused a request this event needs (HTTP ${status}, ${what}); check the API key's permissions and the account, then replay the event (the server log has Stripe's message)`,
  );
}
