/** Outbox events more than one component names (queued here, delivered by outreach/). */
export const LICENSE_ISSUED = 'license_issued';
export const RENEWAL_TASK = 'renewal_task';
export const RENEWAL_TASK_UPDATE = 'renewal_task_update';

/** Messages a person is waiting for right now go ahead of bulk ones (a burst of reminders). */
export function isUrgent(message: { event: string }): boolean {
  return message.event === LICENSE_ISSUED;
}
