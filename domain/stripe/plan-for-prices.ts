import type { EntityManager } from '@mikro-orm/postgresql';
import { Plan } from '../../schema/entities.ts';
import type { PlanEntity } from '../../schema/plan/plan.entity.ts';
import { StripeEventRejection } from './stripe-processing-deps.ts';
import type { SubscriptionItem } from './stripe-objects.ts';

/**
 * The plan that sells one of these Stripe prices (each plan lists its `stripe_price_ids`), and
 * the item it matched (for the quantity): a subscription's items, or a one-time checkout's line
 * items (the same shape). No plan, or two plans for one price, is a configuration problem: the
 * event is kept FAILED until a replay after the fix.
 */
export async function planForPrices(em: EntityManager, items: SubscriptionItem[], seller = 'the subscription'): Promise<{ plan: PlanEntity; item: SubscriptionItem }> {
  if (!items.length) throw new StripeEventRejection('NO_PRICE', `${seller} has no priced items`);
  const plans = await em.fork().find(Plan, {}, { populate: ['product'] });
  for (const item of items) {
    const sellers = plans.filter((plan) => (plan.stripePriceIds ?? []).includes(item.priceId));
    if (sellers.length > 1) {
      throw new StripeEventRejection('AMBIGUOUS_PRICE', `Stripe price ${item.priceId} is listed by several plans (${sellers.map((p) => p.code).join(', ')}); list it on one plan only, then replay the event`);
    }
    if (sellers.length === 1) return { plan: sellers[0]!, item };
  }
  const prices = items.map((item) => item.priceId).join(', ');
  throw new StripeEventRejection('UNKNOWN_PRICE', `no plan sells Stripe price ${prices}; add it to a plan's stripe_price_ids, then replay the event`);
}
