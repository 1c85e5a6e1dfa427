import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { issueLicenseKey } from '../../lib/issued-license-key.ts';
import { AuditEvent, Customer, License, OutboxMessage, Plan } from '../../schema/entities.ts';
import type { CustomerEntity } from '../../schema/customer/customer.entity.ts';
import type { LicenseEntity } from '../../schema/license/license.entity.ts';
import type { PolicyOverrides } from '../../schema/plan/plan-policy.ts';
import type { PlanEntity } from '../../schema/plan/plan.entity.ts';
import { LICENSE_ISSUED } from '../outbox/message-events.ts';
import { startRecordedDelivery } from '../outbox/queue-message.ts';
import type { CheckoutFacts } from './stripe-objects.ts';
import { StripeEventRejection, type StripeProcessingDeps } from './stripe-processing-deps.ts';

/** What makes a Stripe sale one license: its subscription, or (one-time) its Checkout Session. */
export type StripeSale = { stripeSubscriptionId: string } | { stripeCheckoutSessionId: string };

/** The license a Stripe sale provisioned, if any. */
export async function saleLicense(em: EntityManager, sale: StripeSale): Promise<LicenseEntity | null> {
  return em.fork().findOne(License, sale, { populate: ['plan', 'customer'] });
}

/** The advisory lock under which a sale is provisioned (and, for subscriptions, its events deferred). */
export function saleLock(sale: StripeSale): string {
  return 'stripeSubscriptionId' in sale ? `stripe-subscription:${sale.stripeSubscriptionId}` : `stripe-checkout:${sale.stripeCheckoutSessionId}`;
}

/** The buyer's email: the checkout's, else the Stripe customer's (ours, else read from the API). */
export async function customerEmail(deps: StripeProcessingDeps, email: string | null, stripeCustomerId: string | null): Promise<string> {
  if (email) return email;
  if (stripeCustomerId) {
    const known = await deps.em.fork().findOne(Customer, { stripeCustomerId });
    if (known) return known.email;
    const read = (await deps.stripe.customers.retrieve(stripeCustomerId)) as unknown as { deleted?: boolean; email?: string | null };
    if (!read.deleted && read.email) return read.email.trim().toLowerCase();
  }
  throw new StripeEventRejection('MISSING_CUSTOMER_EMAIL', `the checkout has no customer email${stripeCustomerId ? ` and Stripe customer ${stripeCustomerId} has none` : ''}; set the customer's email in Stripe, then replay the event`);
}

function findOrCreateCustomer(em: EntityManager, existing: CustomerEntity | null, email: string, name: string | null, stripeCustomerId: string | null): CustomerEntity {
  if (existing) {
    if (stripeCustomerId && !existing.stripeCustomerId) existing.stripeCustomerId = stripeCustomerId;
    return existing;
  }
  return em.create(Customer, { id: randomUUID(), email, name, stripeCustomerId, metadata: {} } as never);
}

/** A license to issue for a Stripe sale, with everything read from Stripe and the plan decided. */
export interface StripeLicenseOrder {
  sale: StripeSale;
  checkout: CheckoutFacts;
  email: string;
  stripeCustomerId: string | null;
  plan: PlanEntity;
  overrides: PolicyOverrides;
  seats: number;
  trialEndsAt: Date | null;
  expiresAt: Date | null;
  stripePaymentIntentId: string | null;
  /** Names the sale in the `license_issued` payload, e.g. `{ stripe_subscription_id: 'sub_…' }`. */
  reference: Record<string, string>;
}

/**
 * Starts the delivery of the license's key email once its row has committed, as
 * POST /v1/licenses does: the buyer gets the key in seconds. Should Temporal not take it, the
 * license stands and the worker's sweep of PENDING messages sends the email within minutes.
 */
async function startKeyDelivery(deps: StripeProcessingDeps, licenseId: string): Promise<void> {
  try {
    await startRecordedDelivery(deps, `${LICENSE_ISSUED}:${licenseId}`);
  } catch (error) {
    deps.logger.warn({ err: (error as Error).message, licenseId }, 'could not start the key email of a Stripe license now; the outbox sweep sends it');
  }
}

/**
 * For a sale whose license exists (a repeated event, or a pass that crashed half-way): its
 * workflow runs, and its key email, if still waiting, is on its way (not for a revoked one).
 */
export async function ensureIssued(deps: StripeProcessingDeps, license: LicenseEntity): Promise<void> {
  if (license.status === 'REVOKED') return;
  // Side by side: neither waits on the other, and the buyer's email starts one round trip sooner.
  await Promise.all([deps.lifecycle.ensureRunning(license), startKeyDelivery(deps, license.id)]);
}

/**
 * Issues the license of a Stripe sale, once: row, audit event and the `license_issued` outbox
 * message (no key in it) commit together, under the sale's advisory lock and unique index; the
 * workflow and the key email's delivery start after. A sale that already has its license (a
 * repeat, or a concurrent process that got there first) keeps it, and only makes sure its
 * workflow runs and its key email is on its way.
 */
export async function issueStripeLicense(deps: StripeProcessingDeps, eventId: string, order: StripeLicenseOrder): Promise<{ license: LicenseEntity; created: boolean }> {
  const { sale, checkout, plan, email, stripeCustomerId } = order;
  const trialing = order.trialEndsAt !== null;
  // The key itself goes nowhere from here: the license-issued email decrypts its copy.
  const { id, key: _key, ...keyColumns } = issueLicenseKey(deps.secret, { trial: trialing });
  try {
    await deps.em.fork().transactional(async (tx) => {
      await tx.execute(`select pg_advisory_xact_lock(hashtext(?))`, [saleLock(sale)]);
      if (await tx.findOne(License, sale)) return;
      const existing = stripeCustomerId ? await tx.findOne(Customer, { stripeCustomerId }) : null;
      const customer = findOrCreateCustomer(tx as EntityManager, existing ?? (await tx.findOne(Customer, { email })), email, checkout.name, stripeCustomerId);
      const created = tx.create(License, {
        id,
        ...keyColumns,
        status: trialing ? 'TRIALING' : 'ACTIVE',
        plan: tx.getReference(Plan, plan.id),
        customer,
        overrides: order.overrides,
        expiresAt: order.expiresAt,
        trialEndsAt: order.trialEndsAt,
        metadata: { stripe_checkout_session_id: checkout.sessionId, stripe_event_id: eventId },
        version: 1,
        statusReason: null,
        overageStartedAt: null,
        stripeSubscriptionId: 'stripeSubscriptionId' in sale ? sale.stripeSubscriptionId : null,
        stripeCheckoutSessionId: checkout.sessionId,
        stripePaymentIntentId: order.stripePaymentIntentId,
      });
      tx.create(AuditEvent, {
        id: randomUUID(),
        license: created,
        actor: `stripe:${eventId}`,
        action: 'license.created',
        reason: `Stripe checkout ${checkout.sessionId}`,
        before: null,
        after: { status: created.status, plan: plan.code, seat_limit: order.seats, version: 1, expires_at: created.expiresAt?.toISOString() ?? null },
      });
      // Delivery (Customer.io) reads the key from the encrypted copy: it is never in the outbox.
      tx.create(OutboxMessage, {
        id: randomUUID(),
        license: created,
        event: LICENSE_ISSUED,
        idempotencyKey: `${LICENSE_ISSUED}:${id}`,
        recipient: customer.email,
        payload: {
          license_id: id,
          key_hint: created.keyHint,
          plan: plan.code,
          product: plan.product.code,
          status: created.status,
          seat_limit: order.seats,
          expires_at: created.expiresAt?.toISOString() ?? null,
          trial_ends_at: created.trialEndsAt?.toISOString() ?? null,
          customer_email: customer.email,
          ...order.reference,
        },
        status: 'PENDING',
        attempts: 0,
      } as never);
      await tx.flush();
    });
  } catch (error) {
    // Two processes provisioned the same sale at once: the unique index kept one.
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
  }
  const license = await saleLicense(deps.em, sale);
  if (!license) throw new Error(`license for ${saleLock(sale)} not found after provisioning`);
  await ensureIssued(deps, license);
  return { license, created: license.id === id };
}
