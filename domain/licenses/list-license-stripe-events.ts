import type { EntityManager } from '@mikro-orm/postgresql';
import { License, StripeEvent } from '../../schema/entities.ts';
import type { StripeEventEntity } from '../../schema/stripe/stripe-event.entity.ts';

/**
 * The Stripe events about one license, newest first: those processing tied to it, and those
 * about its subscription or its one-time payment (a `customer.subscription.created` recorded
 * before the checkout provisioned the license names no license). `null` for an unknown license.
 */
export async function listLicenseStripeEvents(em: EntityManager, licenseId: string, limit = 200): Promise<StripeEventEntity[] | null> {
  const fork = em.fork();
  const license = await fork.findOne(License, { id: licenseId }, { fields: ['id', 'stripeSubscriptionId', 'stripePaymentIntentId'] });
  if (!license) return null;
  const about: Record<string, string>[] = [{ licenseId }];
  if (license.stripeSubscriptionId) about.push({ subscriptionId: license.stripeSubscriptionId });
  if (license.stripePaymentIntentId) about.push({ paymentIntentId: license.stripePaymentIntentId });
  return fork.find(StripeEvent, { $or: about }, { orderBy: { stripeCreatedAt: 'desc', id: 'desc' }, limit });
}
