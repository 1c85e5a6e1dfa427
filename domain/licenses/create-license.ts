import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { jsonObject, text } from '../../lib/text.ts';
import { issueLicenseKey } from '../../lib/issued-license-key.ts';
import type { ServerSecret } from '../../lib/server-secret.ts';
import { Customer, License, Plan } from '../../schema/entities.ts';
import { effectivePolicy, termEnd } from '../../schema/plan/plan-policy.ts';
import { planPolicy } from '../../schema/plan/plan.entity.ts';
import { customerColumns, customerCreateSchema } from '../customers/customer-input.ts';
import { DomainError } from '../domain-error.ts';
import { idParam } from '../ids.ts';
import type { LicenseLifecycle } from '../lifecycle/license-lifecycle.ts';
import { LifecycleUnavailable } from '../lifecycle/lifecycle-unavailable.ts';
import { LICENSE_ISSUED } from '../outbox/message-events.ts';
import { queueMessage, type MessageDeliveries } from '../outbox/queue-message.ts';
import { policyOverridesSchema, termProblems, toPolicyOverrides } from '../plans/policy.schema.ts';
import { actorLabel, type LicenseActor } from './license-actor.ts';
import { recordLicenseEvent } from './record-license-event.ts';

const licenseFields = {
  plan_id: idParam,
  /** Start as a trial of the plan's trial length (or until `trial_ends_at`). */
  trial: z.boolean().default(false),
  trial_ends_at: z.iso.datetime({ offset: true }).optional(),
  /** Overrides the end date the plan's term gives. */
  expires_at: z.iso.datetime({ offset: true }).nullable().optional(),
  overrides: policyOverridesSchema.default({}),
  metadata: jsonObject().default({}),
  /** Email the key to the customer (Customer.io transactional message); `false` to skip. */
  notify: z.boolean().default(true),
  /** Why staff created it by hand (a purchase order, a partner deal): the audit trail keeps it. */
  reason: text().trim().min(1).max(1000).optional(),
};

/**
 * For an existing customer (`customer_id`) or one found or created by email (`customer`):
 * exactly one of the two, which the document says too (`oneOf`), so a client generated from it
 * cannot send both or neither.
 */
export const createLicenseSchema = z.xor([
  z.object({ ...licenseFields, customer_id: idParam }).strict(),
  z.object({ ...licenseFields, customer: customerCreateSchema.describe('Find the customer by email, or create it.') }).strict(),
]);

export type CreateLicenseInput = z.infer<typeof createLicenseSchema>;

export interface CreateLicenseDeps {
  em: EntityManager;
  lifecycle: LicenseLifecycle;
  /** Starts the license-issued email's delivery (without it the worker's outbox sweep does). */
  deliveries?: MessageDeliveries;
  secret: ServerSecret;
}

const DAY_MS = 86_400_000;
/** When to try again after a start failed for a reason other than Temporal's unavailability. */
const UNAVAILABLE_RETRY_AFTER_S = 5;

async function resolveCustomer(em: EntityManager, input: CreateLicenseInput) {
  if ('customer_id' in input) {
    const customer = await em.findOne(Customer, { id: input.customer_id });
    if (!customer) throw new DomainError('CUSTOMER_NOT_FOUND', `no customer with id ${input.customer_id}`);
    return customer;
  }
  const existing = await em.findOne(Customer, { email: input.customer.email });
  return existing ?? em.create(Customer, { id: randomUUID(), metadata: {}, ...customerColumns(input.customer) } as never);
}

/**
 * Creates the license row (with its audit event) and starts its workflow, committing the row
 * only once the workflow runs. The raw key is
 * returned to the caller once and is never stored in clear or passed to Temporal.
 */
export async function createLicense(deps: CreateLicenseDeps, input: CreateLicenseInput, actor: LicenseActor, now = new Date()) {
  const em = deps.em.fork();
  const plan = await em.findOne(Plan, { id: input.plan_id }, { populate: ['product'] });
  if (!plan) throw new DomainError('PLAN_NOT_FOUND', `no plan with id ${input.plan_id}`);
  const customer = await resolveCustomer(em, input);
  const overrides = toPolicyOverrides(input.overrides);
  const policy = effectivePolicy(planPolicy(plan), overrides);
  const problems = termProblems(policy);
  if (problems.length) throw new DomainError('INVALID_REQUEST', problems.join('; '));

  const trial = input.trial || input.trial_ends_at !== undefined;
  let trialEndsAt: Date | null = null;
  if (trial) {
    if (input.trial_ends_at) trialEndsAt = new Date(input.trial_ends_at);
    else if (policy.trialDays) trialEndsAt = new Date(now.getTime() + policy.trialDays * DAY_MS);
    else throw new DomainError('INVALID_REQUEST', 'trial: this plan has no trial length; set trial_days or send trial_ends_at');
    if (trialEndsAt <= now) throw new DomainError('INVALID_REQUEST', 'trial_ends_at: must be in the future');
  }
  const termStart = trialEndsAt ?? now;
  let expiresAt = termEnd(policy, termStart);
  if (input.expires_at !== undefined) expiresAt = input.expires_at ? new Date(input.expires_at) : null;
  // A trial converts into a paid term later; until then only the trial end applies.
  if (trial && input.expires_at === undefined) expiresAt = null;

  const { id, key, ...keyColumns } = issueLicenseKey(deps.secret, { trial });
  // The row and its audit event commit only once the workflow has started: a license without its
  // workflow would never expire or renew, and the audit trail is append-only (nothing to undo).
  const license = await em.transactional(async (tx) => {
    const created = tx.create(License, {
      id,
      ...keyColumns,
      status: trial ? 'TRIALING' : 'ACTIVE',
      plan,
      customer,
      overrides,
      expiresAt,
      trialEndsAt,
      metadata: input.metadata,
      version: 1,
      statusReason: null,
      overageStartedAt: null,
      stripeSubscriptionId: null,
    });
    await tx.flush();
    await recordLicenseEvent(tx, actor, id, {
      action: 'license.created',
      reason: input.reason ?? null,
      before: null,
      after: { status: created.status, plan: plan.code, version: 1, expires_at: expiresAt?.toISOString() ?? null },
    });
    try {
      await deps.lifecycle.start({ license: created, planId: plan.id, planCode: plan.code, policy, customerEmail: customer.email });
    } catch (error) {
      throw new LifecycleUnavailable('the lifecycle engine (Temporal) could not start this license; nothing was created', {
        retryAfterSeconds: error instanceof LifecycleUnavailable ? error.retryAfterSeconds : UNAVAILABLE_RETRY_AFTER_S,
        cause: error,
      });
    }
    return created;
  });
  if (input.notify) {
    // The payload never holds the key: delivery reads it from the encrypted copy. Should its
    // delivery fail to start, the row waits PENDING for the worker's sweep: the license stands.
    await queueMessage({ em: deps.em, deliveries: deps.deliveries }, {
      licenseId: id,
      event: LICENSE_ISSUED,
      channel: 'customerio',
      idempotencyKey: `${LICENSE_ISSUED}:${id}`,
      data: { license_id: id, plan: plan.code, status: license.status, expires_at: expiresAt?.toISOString() ?? null, trial_ends_at: trialEndsAt?.toISOString() ?? null, customer_email: customer.email, issued_by: actorLabel(actor) },
    }).catch(() => undefined);
  }
  return { id, key };
}
