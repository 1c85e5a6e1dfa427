import Router from '@koa/router';
import { listLicenseStripeEvents } from '../../domain/licenses/list-license-stripe-events.ts';
import { License } from '../../schema/entities.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseWith } from '../http/body.ts';
import { Problem } from '../http/problem.ts';
import { idParam, iso } from '../http/resources.ts';
import { stripeEventResource } from '../stripe/stripe-event.resource.ts';

const notFound = (id: string) => new Problem('LICENSE_NOT_FOUND', `no license with id ${id}`);

/** What staff read about a license beside its row: its Stripe events and its workflow in Temporal. */
export function licenseHistoryRoutes(deps: ApiDependencies): Router {
  const router = new Router({ prefix: '/v1/licenses' });
  router.get('/:id/stripe-events', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const events = await listLicenseStripeEvents(deps.em, id);
    if (!events) throw notFound(id);
    ctx.body = { data: events.map(stripeEventResource) };
  });

  router.get('/:id/workflow', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    if (!(await deps.em.fork().count(License, { id }))) throw notFound(id);
    // Temporal unreachable or late: 503 LIFECYCLE_UNAVAILABLE with Retry-After (the client's deadline).
    const workflow = await deps.lifecycle.describeRun(id, deps.temporalUiUrl ?? null);
    const run = workflow.execution;
    ctx.body = {
      workflow_id: workflow.workflowId,
      namespace: workflow.namespace,
      ui_url: workflow.uiUrl,
      execution: run && { run_id: run.runId, status: run.status, started_at: iso(run.startedAt)!, closed_at: iso(run.closedAt), history_length: run.historyLength },
    };
  });

  return router;
}
