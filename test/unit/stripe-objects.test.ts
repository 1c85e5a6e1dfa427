import { checkoutFacts, invoicePeriodEnd, invoiceSubscriptionId, itemsAmount, subscriptionSnapshot } from '../../domain/stripe/stripe-objects.ts';
import { subscriptionDrift, type LicenseView, type StripePlan } from '../../domain/stripe/subscription-drift.ts';

const policy = { expiryGraceDays: 0, paymentGraceDays: 7, reminderOffsetsDays: [7] };

describe('reading Stripe objects of either API shape', () => {
  it('takes a subscription period from its items (current API) or from the subscription (older API)', () => {
    const current = subscriptionSnapshot({ id: 'sub_1', customer: 'cus_1', status: 'active', items: { data: [{ quantity: 3, current_period_end: 1_900_000_000, price: { id: 'price_A', unit_amount: 500 } }] } });
    expect(current).toMatchObject({ id: 'sub_1', customerId: 'cus_1', currentPeriodEnd: new Date(1_900_000_000_000).toISOString(), items: [{ priceId: 'price_A', quantity: 3, unitAmount: 500 }] });
    const older = subscriptionSnapshot({ id: 'sub_2', customer: { id: 'cus_2' }, status: 'trialing', trial_end: 1_800_000_000, current_period_end: 1_800_000_000, items: { data: [{ plan: { id: 'price_B', amount: 900 } }] } });
    expect(older).toMatchObject({ customerId: 'cus_2', status: 'trialing', trialEnd: new Date(1_800_000_000_000).toISOString(), items: [{ priceId: 'price_B', quantity: 1, unitAmount: 900 }] });
    expect(itemsAmount(current.items)).toBe(1500);
    expect(itemsAmount([{ priceId: 'price_T', quantity: 2, unitAmount: null }])).toBeNull();
  });

  it('finds an invoice\'s subscription and paid period wherever the API version put them', () => {
    expect(invoiceSubscriptionId({ subscription: 'sub_old' })).toBe('sub_old');
    expect(invoiceSubscriptionId({ parent: { subscription_details: { subscription: 'sub_new' } } })).toBe('sub_new');
    expect(invoiceSubscriptionId({ lines: { data: [{ parent: { subscription_item_details: { subscription: 'sub_line' } } }] } })).toBe('sub_line');
    expect(invoiceSubscriptionId({ lines: { data: [] } })).toBeNull();
    expect(invoicePeriodEnd({ lines: { data: [{ period: { end: 100 } }, { period: { end: 300 } }] } })).toBe(new Date(300_000).toISOString());
    expect(invoicePeriodEnd({ lines: { data: [] } })).toBeNull();
  });

  it('reads who bought from a checkout, and whether it is paid', () => {
    expect(checkoutFacts({ id: 'cs_1', mode: 'subscription', payment_status: 'paid', customer: 'cus_1', subscription: 'sub_1', customer_details: { email: ' Ada@Example.COM ' }, metadata: { domain: 'Acme.io' } }))
      .toMatchObject({ paid: true, email: 'ada@example.com', domain: 'acme.io', subscriptionId: 'sub_1' });
    expect(checkoutFacts({ id: 'cs_2', payment_status: 'unpaid', customer_email: null }).paid).toBe(false);
  });
});

describe('what the reconciliation repairs', () => {
  const now = '2030-01-01T00:00:00.000Z';
  const license = (over: Partial<LicenseView> = {}): LicenseView => ({ id: 'lic', status: 'ACTIVE', version: 4, planId: 'plan-a', seatLimit: 2, expiresAt: '2030-02-01T00:00:00.000Z', statusReason: null, scheduledPlanId: null, ...over });
  const subscription = (over: Record<string, unknown> = {}) =>
    subscriptionSnapshot({ id: 'sub_1', status: 'active', items: { data: [{ quantity: 2, current_period_end: Date.parse('2030-02-01T00:00:00Z') / 1000, price: { id: 'price_A' } }] }, ...over });
  const planA: StripePlan = { planId: 'plan-a', planCode: 'a', policy, seats: 2 };
  const names = (facts: ReturnType<typeof subscriptionDrift>) => facts.map((f) => `${f.signal.name}:${f.fact.eventId}`);

  it('sends nothing when the license matches its subscription, or is revoked', () => {
    expect(subscriptionDrift(license(), subscription(), planA, now)).toEqual([]);
    expect(subscriptionDrift(license({ status: 'REVOKED', planId: 'x' }), subscription({ status: 'canceled' }), planA, now)).toEqual([]);
  });

  it('repairs a missed renewal, recovery, failure, cancellation and plan or seat change, once per license version', () => {
    expect(names(subscriptionDrift(license({ expiresAt: '2030-01-01T00:00:00.000Z' }), subscription(), planA, now))).toEqual(['paymentSucceeded:reconcile:sub_1:paid:2030-02-01T00:00:00.000Z:v4']);
    expect(names(subscriptionDrift(license({ status: 'PAST_DUE' }), subscription(), planA, now))).toEqual(['paymentSucceeded:reconcile:sub_1:paid:2030-02-01T00:00:00.000Z:v4']);
    expect(names(subscriptionDrift(license(), subscription({ status: 'past_due' }), planA, now))).toEqual(['paymentFailed:reconcile:sub_1:past_due:v4']);
    expect(names(subscriptionDrift(license(), subscription({ status: 'canceled' }), planA, now))).toEqual(['subscriptionCanceled:reconcile:sub_1:canceled:v4']);
    expect(names(subscriptionDrift(license({ seatLimit: 5 }), subscription(), planA, now))).toEqual(['planChanged:reconcile:sub_1:plan:plan-a:2:v4']);
    // A suspension for non-payment is lifted by a paid subscription; one an admin decided is not.
    expect(names(subscriptionDrift(license({ status: 'SUSPENDED', statusReason: 'payment grace ended without payment' }), subscription(), planA, now))).toEqual([
      'paymentSucceeded:reconcile:sub_1:paid:2030-02-01T00:00:00.000Z:v4',
    ]);
    expect(subscriptionDrift(license({ status: 'SUSPENDED', statusReason: 'abuse report under review' }), subscription(), planA, now)).toEqual([]);
    // A downgrade the workflow already holds for the end of the period is left alone.
    expect(subscriptionDrift(license({ planId: 'plan-b', scheduledPlanId: 'plan-a' }), subscription(), planA, now)).toEqual([]);
  });
});
