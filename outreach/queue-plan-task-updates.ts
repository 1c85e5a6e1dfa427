import { RENEWAL_TASK_UPDATE } from './deliver-hubspot.ts';
import { startDelivery, type MessageQueueDeps } from './queue-message.ts';

/** Deliveries started at once by one plan edit; any beyond are started by the worker's outbox sweep. */
const START_AT_ONCE = 200;

/**
 * A plan edit that changes a renewal task's terms (name, tier, seats) queues an update of the
 * HubSpot task of every license on the plan that has one: one outbox row each, inserted in a
 * single statement (`editId` makes the edit's rows unique), then their deliveries started.
 * Returns how many were queued.
 */
export async function queuePlanRenewalTaskUpdates(deps: MessageQueueDeps, planId: string, editId: string, action = 'plan.updated'): Promise<number> {
  const queued = await deps.em.fork().execute<{ id: string }[]>(
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
  for (let from = 0; from < Math.min(queued.length, START_AT_ONCE); from += 20) {
    await Promise.all(queued.slice(from, Math.min(from + 20, START_AT_ONCE)).map(({ id }) => startDelivery(deps, id, `${RENEWAL_TASK_UPDATE} · hubspot`)));
  }
  return queued.length;
}
