import type { ApplyLicenseChangeInput } from '../domain/licenses/apply-license-change.ts';
import { queueMessage, type MessageQueueDeps } from '../domain/outbox/queue-message.ts';
import { RENEWAL_TASK, RENEWAL_TASK_UPDATE } from '../outreach/deliver-hubspot.ts';

/** Changes to these fields change a renewal task's terms (plan and seats, expiry, standing, renewal value). */
const TERM_FIELDS = ['planId', 'expiresAt', 'status', 'overrides', 'metadata'] as const;

/**
 * Wraps applyLicenseChange: when a change alters the terms of a license that has a HubSpot
 * renewal task (or one being created), queues an update of the task, once per row version.
 */
export function queueRenewalTaskUpdates<R extends { version: number; changed: boolean }>(deps: MessageQueueDeps, apply: (input: ApplyLicenseChangeInput) => Promise<R>) {
  return async (input: ApplyLicenseChangeInput): Promise<R> => {
    const result = await apply(input);
    if (!TERM_FIELDS.some((field) => field in input.patch)) return result;
    const [task] = await deps.em.fork().execute<{ n: string }[]>(
      `select count(*) as n from outbox_message where license_id = ? and channel = 'hubspot' and event = ? and status in ('PENDING', 'SENT')`,
      [input.licenseId, RENEWAL_TASK],
    );
    if (Number(task?.n ?? 0) === 0) return result;
    await queueMessage(deps, {
      licenseId: input.licenseId,
      event: RENEWAL_TASK_UPDATE,
      channel: 'hubspot',
      idempotencyKey: `${input.licenseId}:${RENEWAL_TASK_UPDATE}:v${result.version}`,
      data: { action: input.action, reason: input.reason },
    });
    return result;
  };
}
