import Router from '@koa/router';
import { AbuseAlert } from '../../schema/entities.ts';
import type { AbuseAlertEntity } from '../../schema/abuse/abuse-alert.entity.ts';
import { dismissAbuseAlert, dismissAbuseAlertSchema } from '../../domain/abuse/dismiss-abuse-alert.ts';
import { abusePolicyRequestSchema, abusePolicyView, overridesFromRequest } from '../../domain/abuse/abuse-policy.ts';
import { readPlanAbusePolicy, setPlanAbusePolicy } from '../../domain/abuse/plan-abuse-policy.ts';
import { principalOf } from '../auth/principal.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseBody, parseWith } from '../http/body.ts';
import { Problem } from '../http/problem.ts';
import { idParam } from '../http/resources.ts';
import { actingOf } from '../staff/acting.ts';
import { abuseAlertResource, listAbuseAlerts, listAbuseAlertsQuery } from './abuse-alert.resource.ts';

/**
 * Abuse alerts (raised by the abuse-checks schedule): listed and read with `licenses:read`,
 * dismissed with `licenses:lifecycle`; each plan's thresholds and action, read with
 * `licenses:read` and replaced with `catalog:write` (api/auth/route-rules.ts).
 */
export function abuseRoutes(deps: ApiDependencies): Router {
  const router = new Router({ prefix: '/v1' });

  router.get('/abuse-alerts', async (ctx) => {
    ctx.body = await listAbuseAlerts(deps.em, parseWith(listAbuseAlertsQuery, ctx.query));
  });

  router.get('/abuse-alerts/:id', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const alert = (await deps.em.fork().findOne(AbuseAlert, { id })) as AbuseAlertEntity | null;
    if (!alert) throw new Problem('ABUSE_ALERT_NOT_FOUND', `no abuse alert with id ${id}`);
    ctx.body = abuseAlertResource(alert);
  });

  router.post('/abuse-alerts/:id/dismiss', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const { reason } = await parseBody(ctx, dismissAbuseAlertSchema);
    ctx.body = abuseAlertResource(await dismissAbuseAlert(deps.em, id, reason, actingOf(principalOf(ctx))));
  });

  router.get('/abuse-policies/:id', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    ctx.body = abusePolicyView(await readPlanAbusePolicy(deps.em, id));
  });

  router.put('/abuse-policies/:id', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const request = await parseBody(ctx, abusePolicyRequestSchema);
    ctx.body = abusePolicyView(await setPlanAbusePolicy(deps.em, id, overridesFromRequest(request), actingOf(principalOf(ctx))));
  });

  return router;
}
