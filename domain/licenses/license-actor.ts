import type { AdminCommand } from '../../workflows/license-state.ts';
import type { Acting } from '../staff/staff-deps.ts';

/**
 * Who a license operation acts for: a request's identity (staff member or API token, with the
 * request's origin), or a label alone (system work, older callers).
 */
export type LicenseActor = string | Acting;

/** The label a license operation records where a string is kept (`created_by`, `issued_by`). */
export const actorLabel = (actor: LicenseActor) => (typeof actor === 'string' ? actor : actor.label);

/**
 * The actor fields of a workflow admin command: the label always (histories and handlers read
 * it), and the structured actor and origin when the request has an identity.
 */
export const commandActor = (actor: LicenseActor): Pick<AdminCommand, 'actor' | 'by'> =>
  typeof actor === 'string' ? { actor } : { actor: actor.label, by: { actor: actor.actor, origin: actor.origin } };
