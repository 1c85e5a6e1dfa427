import Router from '@koa/router';
import { describeLicenseWorkflow } from '../../domain/licenses/describe-license-workflow.ts';
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
    let workflow;
    try {
      workflow = await describeLicenseWorkflow(deps.temporal, id, deps.temporalUiUrl ?? null);
    } catch (error) {
      deps.logger.warn({ err: error, licenseId: id }, 'could not describe the license workflow');
      throw new Problem('LIFECYCLE_UNAVAILABLE', 'Temporal did not answer; the workflow\'s state is unknown for now');
    }
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
