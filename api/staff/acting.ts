import type { Acting } from '../../domain/staff/staff-deps.ts';
import type { Principal } from '../auth/principal.ts';

/** The principal as an identity operation records it. */
export const actingOf = (principal: Principal): Acting => ({ actor: principal.auditActor, label: principal.actor, origin: principal.origin });
