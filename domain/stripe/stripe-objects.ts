/**
 * Reading Stripe objects as Stripe sends them. Shapes differ between API versions (a
 * subscription's period moved onto its items, an invoice's subscription under `parent`), so
 * every reader accepts both and returns plain values. Pure functions: no I/O.
 */
type Json = Record<string, any>;

const idOf = (value: unknown): string | null => (typeof value === 'string' ? value : value && typeof value === 'object' && typeof (value as Json).id === 'string' ? (value as Json).id : null);
const isoFromUnix = (seconds: unknown): string | null => (typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : null);

export interface SubscriptionItem {
  priceId: string;
  quantity: number;
  /** Per unit, in the smallest currency unit; null when the price has none (tiers). */
  unitAmount: number | null;
}

export interface SubscriptionSnapshot {
  id: string;
  customerId: string | null;
  status: string;
  items: SubscriptionItem[];
  /** End of the paid period (ISO-8601), from the items (newer API versions) or the subscription. */
  currentPeriodEnd: string | null;
  trialEnd: string | null;
  cancelAtPeriodEnd: boolean;
}

export function subscriptionItems(items: unknown): SubscriptionItem[] {
  const list = Array.isArray(items) ? items : Array.isArray((items as Json | undefined)?.data) ? (items as Json).data : [];
  return list
    .map((item: Json) => {
      const priceId = idOf(item?.price) ?? idOf(item?.plan);
      const unit = item?.price?.unit_amount ?? item?.plan?.amount;
      return priceId ? { priceId, quantity: typeof item.quantity === 'number' ? item.quantity : 1, unitAmount: typeof unit === 'number' ? unit : null } : null;
    })
    .filter((item: SubscriptionItem | null): item is SubscriptionItem => item !== null);
}

export function subscriptionSnapshot(subscription: Json): SubscriptionSnapshot {
  const items = Array.isArray(subscription.items?.data) ? (subscription.items.data as Json[]) : [];
  const itemEnds = items.map((item) => item.current_period_end).filter((end): end is number => typeof end === 'number');
  const periodEnd = itemEnds.length ? Math.max(...itemEnds) : subscription.current_period_end;
  return {
    id: String(subscription.id),
    customerId: idOf(subscription.customer),
    status: String(subscription.status ?? 'active'),
    items: subscriptionItems(subscription.items),
    currentPeriodEnd: isoFromUnix(periodEnd),
    trialEnd: isoFromUnix(subscription.trial_end),
    cancelAtPeriodEnd: Boolean(subscription.cancel_at_period_end),
  };
}

/** The subscription an invoice bills, whichever API version shaped it. */
export function invoiceSubscriptionId(invoice: Json): string | null {
  const direct = idOf(invoice.subscription) ?? idOf(invoice.parent?.subscription_details?.subscription);
  if (direct) return direct;
  for (const line of (invoice.lines?.data ?? []) as Json[]) {
    const fromLine = idOf(line.subscription) ?? idOf(line.parent?.subscription_item_details?.subscription);
    if (fromLine) return fromLine;
  }
  return null;
}

/** The end of the service period the invoice paid for: the latest end among its lines. */
export function invoicePeriodEnd(invoice: Json): string | null {
  const ends = ((invoice.lines?.data ?? []) as Json[]).map((line) => line.period?.end).filter((end): end is number => typeof end === 'number');
  return ends.length ? isoFromUnix(Math.max(...ends)) : null;
}

export interface CheckoutFacts {
  sessionId: string;
  mode: string;
  paid: boolean;
  subscriptionId: string | null;
  /** The payment of a one-time (`mode: payment`) checkout. */
  paymentIntentId: string | null;
  customerId: string | null;
  email: string | null;
  name: string | null;
  domain: string | null;
}

/** What a completed Checkout Session tells: who bought, which subscription (or payment), the domain asked for. */
export function checkoutFacts(session: Json): CheckoutFacts {
  const email = session.customer_details?.email ?? session.customer_email ?? null;
  const domain = typeof session.metadata?.domain === 'string' && session.metadata.domain.trim() ? session.metadata.domain.trim().toLowerCase() : null;
  return {
    sessionId: String(session.id),
    mode: String(session.mode ?? 'subscription'),
    paid: session.payment_status === undefined || session.payment_status === 'paid' || session.payment_status === 'no_payment_required',
    subscriptionId: idOf(session.subscription),
    paymentIntentId: idOf(session.payment_intent),
    customerId: idOf(session.customer),
    email: typeof email === 'string' && email.trim() ? email.trim().toLowerCase() : null,
    name: session.customer_details?.name ?? null,
    domain,
  };
}

/** The subscription id an event is about, when the event itself says. */
export function eventSubscriptionId(type: string, object: Json): string | null {
  if (type.startsWith('checkout.session.')) return idOf(object.subscription);
  if (type.startsWith('customer.subscription.')) return idOf(object.id);
  if (type.startsWith('invoice.')) return invoiceSubscriptionId(object);
  return null;
}

/** The payment intent an event names: a checkout's, a charge's (refunds) or a dispute's. */
export function eventPaymentIntentId(type: string, object: Json): string | null {
  return type.startsWith('checkout.session.') || type.startsWith('charge.') ? idOf(object.payment_intent) : null;
}

export const stripeId = idOf;
export const stripeTime = isoFromUnix;

/** Total per period of the items, or null when a price has no unit amount. */
export function itemsAmount(items: SubscriptionItem[]): number | null {
  let total = 0;
  for (const item of items) {
    if (item.unitAmount === null) return null;
    total += item.unitAmount * item.quantity;
  }
  return total;
}
