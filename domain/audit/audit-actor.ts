/**
 * Who did something, as the audit trail records it. One type for every writer: staff (a
 * browser session), an API token, the system (a job, a schedule), and later customers.
 * `id` is stable, `label` is what a person reads (an e-mail, a token's name).
 */
export interface AuditActor {
  type: 'staff' | 'token' | 'system' | 'customer';
  id: string;
  label: string;
}

/** Where a request came from: the API's resolved client IP and the user agent. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

/** The actor column: `staff:<id>`, `token:<id>`, `system:<job>`, `customer:<id>`. */
export const actorKey = (actor: AuditActor) => `${actor.type}:${actor.id}`;

export const systemActor = (job: string): AuditActor => ({ type: 'system', id: job, label: job });
