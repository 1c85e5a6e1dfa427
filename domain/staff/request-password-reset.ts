import { StaffMember } from '../../schema/staff/staff-member.entity.ts';
import type { RequestOrigin } from '../audit/audit-actor.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import type { SignInThrottle } from '../sessions/sign-in-throttle.ts';
import { Refusal } from '../refusal.ts';
import { prepareStaffLink } from './send-staff-link.ts';
import type { StaffDeps } from './staff-deps.ts';
import { normaliseEmail } from './staff-view.ts';

/**
 * "Forgot my password": e-mails a reset link to an active member with that e-mail. The caller
 * learns nothing either way (the API answers 202 alike, and never returns the link). Each
 * request counts against the IP's sign-in budget, so it cannot be used to spam inboxes.
 */
export async function requestPasswordReset(deps: StaffDeps & { throttle: SignInThrottle }, emailInput: string, origin: RequestOrigin): Promise<void> {
  const em = deps.em.fork();
  const email = normaliseEmail(emailInput);
  const keys = deps.throttle.keys(email, origin.ip);
  const locked = await deps.throttle.lockedFor(em, [keys.ip]);
  if (locked) throw new Refusal('SIGN_IN_LOCKED', `too many requests from this address; try again in ${locked} s`, { retryAfterSeconds: locked });
  await deps.throttle.recordFailure(em, keys.ip, deps.throttle.limits.maxFailuresPerIp);
  const member = await em.findOne(StaffMember, { email, status: 'ACTIVE' });
  if (!member) return;
  const prepared = await em.transactional(async (tx) => {
    const link = await prepareStaffLink(tx, deps, member, 'PASSWORD_RESET', 'self');
    await recordAuditEvent(tx, {
      actor: { type: 'staff', id: member.id, label: member.email },
      action: 'staff.password_reset_requested',
      target: { type: 'staff_member', id: member.id },
      after: { link_id: link.id, expires_at: link.expiresAt.toISOString() },
      origin,
    });
    return link;
  });
  const sent = await prepared.send();
  if (sent.delivery.status !== 'SENT') deps.logger.warn({ memberId: member.id, delivery: sent.delivery.status }, 'password reset requested but not e-mailed; an owner can send a link from the staff API');
}
