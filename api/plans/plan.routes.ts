import Router from '@koa/router';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { text } from '../../lib/text.ts';
import { PLAN_CHANGED_CHANNEL } from '../../schema/license/license-channels.ts';
import { License, Plan, Product } from '../../schema/entities.ts';
import { planPolicy, type PlanEntity } from '../../schema/plan/plan.entity.ts';
import { POLICY_DEFAULTS } from '../../schema/plan/plan-policy.ts';
import { recordPlanRenewalTaskUpdates, startPlanRenewalTaskUpdates } from '../../outreach/queue-plan-task-updates.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseBody, parseWith } from '../http/body.ts';
import { withConstraintProblems } from '../http/db-errors.ts';
import { pageQuerySchema, paginate } from '../http/pagination.ts';
import { Problem } from '../http/problem.ts';
import { idParam, iso } from '../http/resources.ts';
import { policyOverridesSchema, policyResource, termProblems, toPolicyOverrides } from '../../domain/plans/policy.schema.ts';

const stripePriceIds = z.array(text().regex(/^price_[A-Za-z0-9]+$/, 'must be a Stripe price id (price_…)')).max(50);
const identity = {
  code: text().trim().min(1).max(100).regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, dots, dashes and underscores'),
  name: text().trim().min(1).max(200),
  tier: text().trim().min(1).max(100),
  stripe_price_ids: stripePriceIds,
};
export const planCreateSchema = policyOverridesSchema.extend({ product_id: idParam, ...identity, stripe_price_ids: stripePriceIds.default([]) }).strict();
export const planUpdateSchema = policyOverridesSchema.extend({ name: identity.name, tier: identity.tier, stripe_price_ids: stripePriceIds }).partial().strict();
export const planListQuery = pageQuerySchema.extend({ product_id: idParam.optional() });

export function planResource(plan: PlanEntity) {
  return {
    id: plan.id,
    product_id: typeof plan.product === 'object' ? plan.product.id : plan.product,
    code: plan.code,
    name: plan.name,
    tier: plan.tier,
    ...policyResource(planPolicy(plan)),
    stripe_price_ids: plan.stripePriceIds,
    created_at: iso(plan.createdAt),
    updated_at: iso(plan.updatedAt),
  };
}

function policyColumns(input: z.infer<typeof planUpdateSchema>) {
  const { name: _n, tier: _t, stripe_price_ids: _s, ...policy } = input;
  const overrides = toPolicyOverrides(policy);
  return { ...overrides, termEndsAt: overrides.termEndsAt === undefined ? undefined : overrides.termEndsAt ? new Date(overrides.termEndsAt) : null };
}

function assertTerm(plan: PlanEntity) {
  const problems = termProblems(planPolicy(plan));
  if (problems.length) throw new Problem('INVALID_REQUEST', problems.join('; '));
}

async function findPlan(deps: ApiDependencies, id: string) {
  const em = deps.em.fork();
  const plan = await em.findOne(Plan, { id });
  if (!plan) throw new Problem('PLAN_NOT_FOUND', `no plan with id ${id}`);
  return { em, plan };
}

/** Admin CRUD for plans: the policy every license on the plan inherits. */
export function planRoutes(deps: ApiDependencies): Router {
  const router = new Router({ prefix: '/v1/plans' });

  router.post('/', async (ctx) => {
    const input = await parseBody(ctx, planCreateSchema);
    const em = deps.em.fork();
    const product = await em.findOne(Product, { id: input.product_id });
    if (!product) throw new Problem('PRODUCT_NOT_FOUND', `no product with id ${input.product_id}`);
    const { product_id: _p, code, name, tier, stripe_price_ids, ...policy } = input;
    const { termEndsAt: _none, ...defaults } = POLICY_DEFAULTS;
    const { termEndsAt, ...columns } = policyColumns(policy);
    const plan = em.create(Plan, {
      id: randomUUID(),
      product,
      code,
      name,
      tier,
      stripePriceIds: stripe_price_ids,
      ...defaults,
      ...Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined)),
      termEndsAt: termEndsAt ?? null,
    });
    assertTerm(plan);
    await withConstraintProblems(() => em.flush(), {
      unique: ['PLAN_CODE_TAKEN', `product ${product.code} already has a plan with code "${code}"`],
    });
    ctx.status = 201;
    ctx.set('Location', `/v1/plans/${plan.id}`);
    ctx.body = planResource(plan);
  });
  router.get('/', async (ctx) => {
    const query = parseWith(planListQuery, ctx.query);
    ctx.body = await paginate(deps.em, Plan, query.product_id ? { product: query.product_id } : {}, query, planResource);
  });
  router.get('/:id', async (ctx) => {
    ctx.body = planResource((await findPlan(deps, parseWith(idParam, ctx.params.id))).plan);
  });
  router.patch('/:id', async (ctx) => {
    const { em, plan } = await findPlan(deps, parseWith(idParam, ctx.params.id));
    const input = await parseBody(ctx, planUpdateSchema);
    const columns = Object.fromEntries(Object.entries(policyColumns(input)).filter(([, v]) => v !== undefined));
    em.assign(plan, { ...columns, ...(input.name ? { name: input.name } : {}), ...(input.tier ? { tier: input.tier } : {}), ...(input.stripe_price_ids ? { stripePriceIds: input.stripe_price_ids } : {}) });
    assertTerm(plan);
    // The terms a HubSpot renewal task shows (plan name, tier, seats) change for the plan's licenses:
    // their task updates are recorded with the edit, in its transaction.
    const changesTaskTerms = input.name !== undefined || input.tier !== undefined || input.seat_limit !== undefined;
    const taskUpdates = await em.transactional(async (tx) => {
      await tx.flush();
      return changesTaskTerms ? recordPlanRenewalTaskUpdates(tx, plan.id, String(plan.updatedAt.getTime())) : [];
    });
    // After the commit: every API replica's validation cache drops what it held.
    await em.execute(`select pg_notify(?, ?)`, [PLAN_CHANGED_CHANNEL, plan.id]);
    await startPlanRenewalTaskUpdates({ em: deps.em, deliveries: deps.lifecycle, logger: deps.logger }, taskUpdates);
    ctx.body = planResource(plan);
  });
  router.delete('/:id', async (ctx) => {
    const { em, plan } = await findPlan(deps, parseWith(idParam, ctx.params.id));
    if (await em.count(License, { plan: plan.id })) throw new Problem('PLAN_IN_USE', 'licenses are on this plan; move them to another plan first');
    await em.remove(plan).flush();
    ctx.status = 204;
  });
  return router;
}
