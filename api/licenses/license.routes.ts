import Router from '@koa/router';
import type { AdminPrincipal } from '../auth/require-scope.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseBody, parseWith } from '../http/body.ts';
import { idParam } from '../http/resources.ts';
import { createLicense, createLicenseSchema } from '../../domain/licenses/create-license.ts';
import { forceDeactivateSeat, forceDeactivateSchema } from '../../domain/seats/force-deactivate-seat.ts';
import { getLicense, licenseView } from './get-license.ts';
import { lifecycleSchemas, runLifecycleCommand, type LifecycleOperation } from '../../domain/licenses/run-lifecycle-command.ts';
import { previewPlanChange } from '../../domain/licenses/preview-plan-change.ts';
import { licenseTimeline } from './license-timeline.ts';
import { listLicenses, listLicensesQuery } from './list-licenses.ts';
import { revokeLicense, revokeLicenseSchema } from '../../domain/licenses/revoke-license.ts';
import { updateLicense, updateLicenseSchema } from '../../domain/licenses/update-license.ts';
import { actingOf } from '../staff/acting.ts';


/** Admin endpoints for licenses. Handlers parse, call a service, and shape the answer. */
export function licenseRoutes(deps: ApiDependencies): Router {
  const router = new Router({ prefix: '/v1/licenses' });
  // The caller's identity and the request's origin: the license's audit rows name them.
  const actor = (state: Record<string, unknown>) => actingOf(state.principal as AdminPrincipal);

  router.post('/', async (ctx) => {
    const input = await parseBody(ctx, createLicenseSchema);
    const { id, key } = await createLicense({ ...deps, deliveries: deps.lifecycle }, input, actor(ctx.state));
    ctx.status = 201;
    ctx.set('Location', `/v1/licenses/${id}`);
    // The only time the raw key is ever shown.
    ctx.body = { ...(await licenseView(deps.em, id)), key };
  });

  router.get('/', async (ctx) => {
    ctx.body = await listLicenses(deps.em, deps.secret, parseWith(listLicensesQuery, ctx.query));
  });

  router.get('/:id', async (ctx) => {
    ctx.body = await getLicense(deps.em, parseWith(idParam, ctx.params.id));
  });

  // Its own terms: policy overrides and metadata (a dry run answers what would change).
  router.patch('/:id', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const result = await updateLicense(deps, id, await parseBody(ctx, updateLicenseSchema), actor(ctx.state));
    if (result.dry_run) {
      ctx.body = result;
      return;
    }
    deps.cache.invalidate(id);
    ctx.body = await getLicense(deps.em, id);
  });

  router.post('/:id/revoke', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const { reason } = await parseBody(ctx, revokeLicenseSchema);
    await revokeLicense(deps, id, reason, actor(ctx.state));
    deps.cache.invalidate(id);
    ctx.body = await getLicense(deps.em, id);
  });

  router.get('/:id/timeline', async (ctx) => {
    ctx.body = await licenseTimeline(deps, parseWith(idParam, ctx.params.id));
  });

  // Admin lifecycle operations: each a validated update of the license's workflow.
  for (const operation of Object.keys(lifecycleSchemas) as LifecycleOperation[]) {
    router.post(`/:id/${operation}`, async (ctx) => {
      const id = parseWith(idParam, ctx.params.id);
      const input = await parseBody(ctx, lifecycleSchemas[operation]);
      if (operation === 'change-plan' && (input as { dry_run: boolean }).dry_run) {
        const { plan_id, effective } = input as { plan_id: string; effective: 'now' | 'period_end' };
        const { target: _t, overrides: _o, ...preview } = await previewPlanChange(deps.em, id, plan_id, effective);
        ctx.body = { dry_run: true, ...preview };
        return;
      }
      await runLifecycleCommand(deps, id, operation, input as Record<string, unknown>, actor(ctx.state));
      deps.cache.invalidate(id);
      ctx.body = await getLicense(deps.em, id);
    });
  }

  router.post('/:id/activations/:activationId/deactivate', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const activationId = parseWith(idParam, ctx.params.activationId);
    const { reason } = await parseBody(ctx, forceDeactivateSchema);
    await forceDeactivateSeat(deps, id, activationId, actor(ctx.state), reason ?? null);
    ctx.body = await getLicense(deps.em, id);
  });

  return router;
}
