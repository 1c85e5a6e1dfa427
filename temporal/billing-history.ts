import type { EntityManager } from '@mikro-orm/postgresql';
import type { LicenseWorkflowInput } from '../workflows/license-state.ts';
import { KEEP_EVENT_IDS } from '../workflows/lifecycle/on-billing-fact.ts';

/** What a license's workflow remembers of the billing facts it applied, as its input carries it. */
export type BillingHistory = Required<Pick<LicenseWorkflowInput, 'appliedEventIds' | 'lastPaymentFactAt' | 'lastPlanFactAt'>>;

const NONE: BillingHistory = { appliedEventIds: [], lastPaymentFactAt: null, lastPlanFactAt: null };

/** Stripe event types that become payment facts, and plan facts (see process-stripe-event.ts). */
const PAYMENT_EVENTS = ['invoice.paid', 'invoice.payment_failed'];
const PLAN_EVENTS = ['customer.subscription.updated'];

/** A Postgres text[] literal (JSON's string quoting is the array literal's). */
const pgTextArray = (values: string[]) => `{${values.map((value) => JSON.stringify(value)).join(',')}}`;
const isoOrNull = (value: Date | string | null) => (value ? new Date(value).toISOString() : null);

/**
 * What Postgres knows of the billing facts a license's workflow was handed, for a workflow that
 * starts again from the row (after it was terminated, failed, or never ran): the ids of the
 * Stripe events delivered to it (PROCESSED; an event being processed now is not among them
 * unless the caller knows it was delivered before, i.e. a replay), the most recent
 * KEEP_EVENT_IDS of them as the workflow keeps them, and the Stripe creation time of the newest
 * payment and plan facts, so a redelivered event is not applied twice and an older fact arriving
 * late does not override a newer one. Checkout events provision the license; they are not facts.
 * Only licenses sold through a Stripe subscription have any. The nightly reconciliation's own
 * facts (`reconcile:` ids) are not in the event log, so they are not remembered.
 */
export async function billingHistory(
  em: EntityManager,
  license: { id: string; stripeSubscriptionId?: string | null },
  /** Events being processed again (so not PROCESSED now) that were delivered before: replays. */
  deliveredBefore: string[] = [],
): Promise<BillingHistory> {
  if (!license.stripeSubscriptionId) return NONE;
  const [row] = await em.fork().execute<Array<{ ids: string[] | null; last_payment: Date | string | null; last_plan: Date | string | null }>>(
    `with delivered as (
       select id, type, stripe_created_at, processed_at from stripe_event
        where subscription_id = ? and license_id = ? and (status = 'PROCESSED' or id = any(?::text[])) and type not like 'checkout.session.%'
     ), recent as (
       select id, processed_at, stripe_created_at from delivered order by processed_at desc, stripe_created_at desc, id desc limit ?
     )
     select (select json_agg(id order by processed_at, stripe_created_at, id) from recent) as ids,
            (select max(stripe_created_at) from delivered where type = any(?::text[])) as last_payment,
            (select max(stripe_created_at) from delivered where type = any(?::text[])) as last_plan`,
    [license.stripeSubscriptionId, license.id, pgTextArray(deliveredBefore), KEEP_EVENT_IDS, pgTextArray(PAYMENT_EVENTS), pgTextArray(PLAN_EVENTS)],
  );
  if (!row) return NONE;
  return { appliedEventIds: row.ids ?? [], lastPaymentFactAt: isoOrNull(row.last_payment), lastPlanFactAt: isoOrNull(row.last_plan) };
}
