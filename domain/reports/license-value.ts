import type { EntityManager } from '@mikro-orm/postgresql';
import { subscriptionItems } from '../stripe/stripe-objects.ts';

/** What a license is worth per renewal, and where that figure came from. */
export interface LicenseValue {
  /** Per renewal period, in the currency's major unit (dollars, euros). */
  amount: number;
  currency: string;
  /** The renewal period in months (1 for monthly, 12 for yearly). */
  periodMonths: number;
  /** `amount / periodMonths`, rounded to the cent. */
  monthly: number;
  /** The seats the amount pays for (Stripe's quantity, or the license's seat limit); null when unlimited. */
  seats: number | null;
  source: 'stripe' | 'metadata';
}

// Stripe amounts are in the smallest unit; these currencies have no minor unit (Stripe's list).
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
const MONTHS: Record<string, number> = { day: 1 / 30, week: 7 / 30, month: 1, year: 12 };
const cents = (value: number) => Math.round(value * 100) / 100;

type Json = Record<string, any>;

/**
 * The value of a Stripe subscription: Σ unit price × quantity over its items, per its billing
 * interval. Null when an item has no unit amount (tiered prices) or the items bill on
 * different intervals or currencies.
 */
export function subscriptionValue(subscription: Json): LicenseValue | null {
  const raw: Json[] = Array.isArray(subscription.items?.data) ? subscription.items.data : [];
  const items = subscriptionItems(subscription.items);
  if (!items.length || items.some((item) => item.unitAmount === null)) return null;
  const intervals = new Set(raw.map((item) => `${item.price?.recurring?.interval ?? item.plan?.interval ?? 'month'}:${item.price?.recurring?.interval_count ?? item.plan?.interval_count ?? 1}`));
  const currencies = new Set(raw.map((item) => String(item.price?.currency ?? item.plan?.currency ?? subscription.currency ?? 'usd').toLowerCase()));
  if (intervals.size !== 1 || currencies.size !== 1) return null;
  const [interval, count] = [...intervals][0]!.split(':');
  const currency = [...currencies][0]!;
  const minor = items.reduce((sum, item) => sum + item.unitAmount! * item.quantity, 0);
  const amount = ZERO_DECIMAL.has(currency) ? minor : minor / 100;
  const periodMonths = (MONTHS[interval!] ?? 1) * Number(count);
  return { amount, currency: currency.toUpperCase(), periodMonths, monthly: cents(amount / periodMonths), seats: items.reduce((sum, item) => sum + item.quantity, 0), source: 'stripe' };
}

/**
 * The value staff or billing recorded on the license: `metadata.renewal_value` (a number, per
 * renewal), `metadata.currency` (default USD) and `metadata.renewal_period_months` (default:
 * the plan's term in months, else 12).
 */
export function metadataValue(metadata: Json | null | undefined, termDays: number | null, seats: number | null): LicenseValue | null {
  const value = metadata?.renewal_value;
  if (value === undefined || value === null || value === '') return null;
  const amount = Number(value);
  if (!Number.isFinite(amount) || amount < 0) return null;
  const stated = Number(metadata?.renewal_period_months);
  const periodMonths = Number.isFinite(stated) && stated > 0 ? stated : termDays ? termDays / 30.4375 : 12;
  const currency = typeof metadata?.currency === 'string' && /^[a-z]{3}$/i.test(metadata.currency) ? metadata.currency.toUpperCase() : 'USD';
  return { amount, currency, periodMonths: Math.round(periodMonths * 100) / 100, monthly: cents(amount / periodMonths), seats, source: 'metadata' };
}

/**
 * The value of each license: from the newest subscription object Stripe sent about it where it
 * was sold through Stripe, otherwise from its metadata; absent when neither says.
 */
export async function readLicenseValues(em: EntityManager, licenseIds: string[]): Promise<Map<string, LicenseValue>> {
  const values = new Map<string, LicenseValue>();
  if (!licenseIds.length) return values;
  const rows = await em.fork().execute<{ id: string; metadata: Json; term_days: number | null; seats: number | null; subscription: Json | null }[]>(
    `select l.id, l.metadata, p.term_days,
            case when l.overrides->'seatLimit' is not null then (l.overrides->>'seatLimit')::int else p.seat_limit end as seats,
            (select e.payload->'data'->'object' from stripe_event e
              where l.stripe_subscription_id is not null and e.subscription_id = l.stripe_subscription_id and e.type like 'customer.subscription.%'
              order by e.stripe_created_at desc, e.id desc limit 1) as subscription
       from license l join plan p on p.id = l.plan_id
      where l.id = any(?::uuid[])`,
    [`{${licenseIds.join(',')}}`],
  );
  for (const row of rows) {
    const value = (row.subscription && subscriptionValue(row.subscription)) || metadataValue(row.metadata, row.term_days, row.seats);
    if (value) values.set(row.id, value);
  }
  return values;
}

/** What one seat is worth per month, where the value and its seats are known. */
export const seatMonthly = (value: LicenseValue | undefined): number | null => (value && value.seats ? value.monthly / value.seats : null);
