import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { licenseWorkflowStartOptions } from '../../api/licenses/start-license-workflow.ts';
import { generateLicenseKey, licenseKeyHint } from '../../lib/license-key.ts';
import { AuditEvent, Customer, License, OutboxMessage, Plan } from '../../schema/entities.ts';
import type { CustomerEntity } from '../../schema/customer/customer.entity.ts';
import type { LicenseEntity } from '../../schema/license/license.entity.ts';
import { effectivePolicy, type PolicyOverrides } from '../../schema/plan/plan-policy.ts';
import { planPolicy } from '../../schema/plan/plan.entity.ts';
import type { licenseWorkflow } from '../../workflows/license.workflow.ts';
import { rowRestartOverrides } from '../reconciliation/start-workflow-from-row.ts';
import { latestSubscriptionObject } from './stripe-event-log.ts';
import { planForPrices } from './plan-for-prices.ts';
import { checkoutFacts, subscriptionSnapshot, type SubscriptionSnapshot } from './stripe-objects.ts';
import { StripeEventRejection, type StripeProcessingDeps } from './stripe-processing-deps.ts';

export interface Provisioned {
  licenseId: string;
  subscriptionId: string;
  created: boolean;
  detail: string;
}

/**
 * The subscription as it stands: the newest subscription object a stored event carried, else
 * the Stripe API (a Checkout Session names its subscription but not its prices or period).
 */
async function currentSubscription(deps: StripeProcessingDeps, subscriptionId: string): Promise<SubscriptionSnapshot> {
  const stored = await latestSubscriptionObject(deps.em, subscriptionId);
  if (stored) return subscriptionSnapshot(stored);
  const read = await deps.stripe.subscriptions.retrieve(subscriptionId);
  return subscriptionSnapshot(read as unknown as Record<string, any>);
}

async function customerEmail(deps: StripeProcessingDeps, email: string | null, stripeCustomerId: string | null): Promise<string> {
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

/**
 * Makes sure the license's workflow runs (it may not, after a crash between row and start, or
 * when it was terminated since): a run that starts here starts from the row, like a restart.
 */
async function ensureWorkflow(deps: StripeProcessingDeps, license: LicenseEntity): Promise<void> {
  if (license.status === 'REVOKED') return;
  const policy = effectivePolicy(planPolicy(license.plan), license.overrides as PolicyOverrides);
  try {
    await deps.temporal.workflow.start<typeof licenseWorkflow>('licenseWorkflow', {
      ...licenseWorkflowStartOptions(
        deps.taskQueue,
        { license, planId: license.plan.id, planCode: license.plan.code, policy, customerEmail: license.customer?.email ?? null },
        await rowRestartOverrides(deps.em, license, new Date()),
      ),
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

async function existingLicense(em: EntityManager, subscriptionId: string) {
  return em.fork().findOne(License, { stripeSubscriptionId: subscriptionId }, { populate: ['plan', 'customer'] });
}

/**
 * checkout.session.completed: exactly one license per subscription. Plan from the price each
 * plan lists, seats from the quantity, domain from the session's metadata, customer found by
 * Stripe id or email (or created). Row, audit event and the `license_issued` outbox message
 * (no key in it) commit together, under the subscription's advisory lock; the workflow starts
 * after. A repeat finds the license and only makes sure its workflow runs.
 */
export async function provisionLicense(deps: StripeProcessingDeps, eventId: string, session: Record<string, any>): Promise<Provisioned> {
  const checkout = checkoutFacts(session);
  if (!checkout.subscriptionId) throw new StripeEventRejection('NOT_A_SUBSCRIPTION', `checkout ${checkout.sessionId} (mode ${checkout.mode}) has no subscription; only subscription checkouts provision licenses`);
  const subscriptionId = checkout.subscriptionId;
  const found = await existingLicense(deps.em, subscriptionId);
  if (found) {
    await ensureWorkflow(deps, found);
    return { licenseId: found.id, subscriptionId, created: false, detail: `license ${found.id} already provisioned for ${subscriptionId}` };
  }

  const subscription = await currentSubscription(deps, subscriptionId);
  const { plan, item } = await planForPrices(deps.em, subscription.items);
  const email = await customerEmail(deps, checkout.email, checkout.customerId ?? subscription.customerId);
  const stripeCustomerId = checkout.customerId ?? subscription.customerId;
  const trialing = subscription.status === 'trialing' && subscription.trialEnd !== null;
  const overrides: PolicyOverrides = { seatLimit: item.quantity, ...(checkout.domain ? { allowedDomains: [checkout.domain] } : {}) };
  const key = generateLicenseKey({ trial: trialing });
  const id = randomUUID();

  try {
    await deps.em.fork().transactional(async (tx) => {
      await tx.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`stripe-subscription:${subscriptionId}`]);
      const again = await tx.findOne(License, { stripeSubscriptionId: subscriptionId }, { populate: ['plan', 'customer'] });
      if (again) return;
      const existing = stripeCustomerId ? await tx.findOne(Customer, { stripeCustomerId }) : null;
      const customer = findOrCreateCustomer(tx as EntityManager, existing ?? (await tx.findOne(Customer, { email })), email, checkout.name, stripeCustomerId);
      const created = tx.create(License, {
        id,
        keyHash: deps.secret.lookupHash(key),
        keyHint: licenseKeyHint(key),
        keyCiphertext: deps.secret.encrypt(key, `license:${id}`),
        status: trialing ? 'TRIALING' : 'ACTIVE',
        plan: tx.getReference(Plan, plan.id),
        customer,
        overrides,
        expiresAt: trialing || !subscription.currentPeriodEnd ? null : new Date(subscription.currentPeriodEnd),
        trialEndsAt: trialing ? new Date(subscription.trialEnd!) : null,
        metadata: { stripe_checkout_session_id: checkout.sessionId, stripe_event_id: eventId },
        version: 1,
        statusReason: null,
        overageStartedAt: null,
        stripeSubscriptionId: subscriptionId,
      });
      tx.create(AuditEvent, {
        id: randomUUID(),
        license: created,
        actor: `stripe:${eventId}`,
        action: 'license.created',
        reason: `Stripe checkout ${checkout.sessionId}`,
        before: null,
        after: { status: created.status, plan: plan.code, seat_limit: item.quantity, version: 1, expires_at: created.expiresAt?.toISOString() ?? null },
      });
      // Delivery (Customer.io) reads the key from the encrypted copy: it is never in the outbox.
      tx.create(OutboxMessage, {
        id: randomUUID(),
        license: created,
        event: 'license_issued',
        idempotencyKey: `license_issued:${id}`,
        recipient: customer.email,
        payload: {
          license_id: id,
          key_hint: created.keyHint,
          plan: plan.code,
          product: plan.product.code,
          status: created.status,
          seat_limit: item.quantity,
          expires_at: created.expiresAt?.toISOString() ?? null,
          trial_ends_at: created.trialEndsAt?.toISOString() ?? null,
          customer_email: customer.email,
          stripe_subscription_id: subscriptionId,
        },
        status: 'PENDING',
        attempts: 0,
      } as never);
      await tx.flush();
    });
  } catch (error) {
    // Two processes provisioned the same subscription at once: the unique index kept one.
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
  }
  const license = await existingLicense(deps.em, subscriptionId);
  if (!license) throw new Error(`license for ${subscriptionId} not found after provisioning`);
  await ensureWorkflow(deps, license);
  const created = license.id === id;
  return {
    licenseId: license.id,
    subscriptionId,
    created,
    detail: created ? `provisioned license ${license.id} (${plan.code}, ${item.quantity} seat(s)) for ${subscriptionId}` : `license ${license.id} already provisioned for ${subscriptionId}`,
  };
}
