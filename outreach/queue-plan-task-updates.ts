import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../lib/logger.ts';
import { RENEWAL_TASK_UPDATE } from './deliver-hubspot.ts';
import { startDelivery, type MessageQueueDeps } from '../domain/outbox/queue-message.ts';

/** Deliveries started at once by one plan edit; any beyond are started by the worker's outbox sweep. */
const START_AT_ONCE = 200;

/**
 * A plan edit that changes a renewal task's terms (name, tier, seats): an update of the HubSpot
 * task of every license on the plan that has one, recorded in the outbox in one statement. Run
 * it in the edit's transaction, so the edit and its task updates commit together; `editId`
 * makes the edit's rows unique (a repeat of the statement adds none). Returns the rows' ids.
 */
export async function recordPlanRenewalTaskUpdates(em: EntityManager, planId: string, editId: string, action = 'plan.updated'): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `insert into outbox_message (id, license_id, event, channel, idempotency_key, recipient, payload, status, attempts, created_at, updated_at)
     select gen_random_uuid(), l.id, ?, 'hubspot', l.id || ':' || ? || ':plan-edit:' || ?, c.email, ?, 'PENDING', 0, now(), now()
       from crm_renewal_task t
       join license l on l.id = t.license_id
       left join customer c on c.id = l.customer_id
      where l.plan_id = ?
     on conflict (idempotency_key) do nothing
     returning id`,
    [RENEWAL_TASK_UPDATE, RENEWAL_TASK_UPDATE, editId, JSON.stringify({ action, reason: null }), planId],
  );
  return rows.map((row) => row.id);
}

/**
 * Starts the deliveries of recorded task updates, after the commit. Best effort: a delivery not
 * started here (Temporal unreachable, or beyond START_AT_ONCE) is started by the worker's outbox
 * sweep, so the edit never fails for it.
 */
export async function startPlanRenewalTaskUpdates(deps: MessageQueueDeps & { logger: Logger }, ids: string[]): Promise<void> {
  const now = ids.slice(0, START_AT_ONCE);
  for (let from = 0; from < now.length; from += 20) {
    const started = await Promise.allSettled(now.slice(from, from + 20).map((id) => startDelivery(deps, id, `${RENEWAL_TASK_UPDATE} · hubspot`)));
    const failed = started.filter((result) => result.status === 'rejected');
    if (failed.length) {
      deps.logger.warn({ err: (failed[0] as PromiseRejectedResult).reason, unstarted: now.length - from }, 'renewal task updates are recorded; the outbox sweep starts their delivery');
      return;
    }
  }
}
