import Router from '@koa/router';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { text } from '../../lib/text.ts';
import { PLAN_CHANGED_CHANNEL } from '../../schema/license/license-channels.ts';
import { License, Plan, Product } from '../../schema/entities.ts';
import { planPolicy, type PlanEntity } from '../../schema/plan/plan.entity.ts';
import { recordPlanRenewalTaskUpdates, startPlanRenewalTaskUpdates } from '../../outreach/queue-plan-task-updates.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseBody, parseWith } from '../http/body.ts';
import { withConstraintProblems } from '../http/db-errors.ts';
import { pageQuerySchema, paginate } from '../http/pagination.ts';
import { Problem } from '../http/problem.ts';
import { idParam, iso } from '../http/resources.ts';
import { principalOf } from '../auth/principal.ts';
import { actingOf } from '../staff/acting.ts';
import { auditedWrite } from '../../domain/audit/audited-write.ts';
import { policyOverridesSchema, policyResource } from '../../domain/plans/policy.schema.ts';
import { assertPlanTerm, planColumns, planDefaults, planView } from '../../domain/plans/plan-view.ts';
import { previewPlanEdit, updatePlan } from '../../domain/plans/update-plan.ts';
import { planEditImpactResource } from './plan-edit-impact.resource.ts';

const stripePriceIds = z.array(text().regex(/^price_[A-Za-z0-9]+$/, 'must be a Stripe price id (price_…)')).max(50);
const identity = {
  code: text().trim().min(1).max(100).regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, dots, dashes and underscores'),
  name: text().trim().min(1).max(200),
  tier: text().trim().min(1).max(100),
  stripe_price_ids: stripePriceIds,
};
export const planCreateSchema = policyOverridesSchema.extend({ product_id: idParam, ...identity, stripe_price_ids: stripePriceIds.default([]) }).strict();
export const planUpdateSchema = policyOverridesSchema
  .extend({ name: identity.name, tier: identity.tier, stripe_price_ids: stripePriceIds })
  .partial()
  .extend({
    dry_run: z.boolean().default(false).describe('Answer what the edit would do (the plan before and after, the licenses it reaches) without changing anything.'),
    reason: text().trim().min(1).max(1000).optional().describe('Why the plan changes: recorded in the audit trail.'),
  })
  .strict();
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

async function findPlan(deps: ApiDependencies, id: string) {
  const plan = await deps.em.fork().findOne(Plan, { id });
  if (!plan) throw new Problem('PLAN_NOT_FOUND', `no plan with id ${id}`);
  return plan;
}

const target = (id: string) => ({ type: 'plan', id });

/** Admin CRUD for plans: the policy every license on the plan inherits. Every write is audited. */
export function planRoutes(deps: ApiDependencies): Router {
  const router = new Router({ prefix: '/v1/plans' });

  router.post('/', async (ctx) => {
    const input = await parseBody(ctx, planCreateSchema);
    const { product_id, code, ...rest } = input;
    const plan = await withConstraintProblems(
      () =>
        auditedWrite(deps.em, actingOf(principalOf(ctx)), async (tx) => {
          const product = await tx.findOne(Product, { id: product_id });
          if (!product) throw new Problem('PRODUCT_NOT_FOUND', `no product with id ${product_id}`);
          const created = tx.create(Plan, { id: randomUUID(), product, code, ...planDefaults(), termEndsAt: null, ...planColumns(rest) } as never) as PlanEntity;
          assertPlanTerm(created);
          await tx.flush();
          return { result: created, event: { action: 'plan.created', target: target(created.id), after: { product_id, ...planView(created) } } };
        }),
      { unique: ['PLAN_CODE_TAKEN', `this product already has a plan with code "${code}"`] },
    );
    ctx.status = 201;
    ctx.set('Location', `/v1/plans/${plan.id}`);
    ctx.body = planResource(plan);
  });
  router.get('/', async (ctx) => {
    const query = parseWith(planListQuery, ctx.query);
    ctx.body = await paginate(deps.em, Plan, query.product_id ? { product: query.product_id } : {}, query, planResource);
  });
  router.get('/:id', async (ctx) => {
    ctx.body = planResource(await findPlan(deps, parseWith(idParam, ctx.params.id)));
  });
  router.patch('/:id', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const { dry_run, reason, ...edit } = await parseBody(ctx, planUpdateSchema);
    if (dry_run) {
      const preview = await previewPlanEdit(deps.em, id, edit);
      ctx.body = { dry_run: true, plan: planResource(preview.plan), impact: planEditImpactResource(preview.impact) };
      return;
    }
    // The terms a HubSpot renewal task shows (plan name, tier, seats) change for the plan's
    // licenses: their task updates are recorded with the edit, in its transaction.
    const changesTaskTerms = edit.name !== undefined || edit.tier !== undefined || edit.seat_limit !== undefined;
    const { plan, extra: taskUpdates } = await updatePlan({ em: deps.em, rollouts: deps.lifecycle }, id, edit, actingOf(principalOf(ctx)), reason ?? null, (tx, edited, impact) =>
      changesTaskTerms && Object.keys(impact.changes.after).length ? recordPlanRenewalTaskUpdates(tx, edited.id, String(edited.updatedAt.getTime())) : Promise.resolve([]),
    );
    // After the commit: every API replica's validation cache drops what it held.
    await deps.em.fork().execute(`select pg_notify(?, ?)`, [PLAN_CHANGED_CHANNEL, plan.id]);
    await startPlanRenewalTaskUpdates({ em: deps.em, deliveries: deps.lifecycle, logger: deps.logger }, taskUpdates);
    ctx.body = planResource(plan);
  });
  router.delete('/:id', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    await auditedWrite(deps.em, actingOf(principalOf(ctx)), async (tx) => {
      const plan = await tx.findOne(Plan, { id });
      if (!plan) throw new Problem('PLAN_NOT_FOUND', `no plan with id ${id}`);
      if (await tx.count(License, { plan: plan.id })) throw new Problem('PLAN_IN_USE', 'licenses are on this plan; move them to another plan first');
      const before = { product_id: typeof plan.product === 'object' ? plan.product.id : plan.product, ...planView(plan) };
      await tx.remove(plan).flush();
      return { result: null, event: { action: 'plan.deleted', target: target(id), before } };
    });
    ctx.status = 204;
  });
  return router;
}
