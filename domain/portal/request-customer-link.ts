import { Customer } from '../../schema/customer/customer.entity.ts';
import type { RequestOrigin } from '../audit/audit-actor.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { Refusal } from '../refusal.ts';
import { issueCustomerLink } from './customer-link.ts';
import { customerActor, type PortalSignInDeps } from './portal-deps.ts';

/**
 * "E-mail me a sign-in link": e-mails a one-time link to the customer with that e-mail. The
 * caller learns nothing either way (the API answers alike, and never returns the link). Every
 * request counts against the e-mail's and the IP's budgets, known e-mail or not, so it can
 * neither enumerate customers nor spam an inbox.
 */
export async function requestCustomerLink(deps: PortalSignInDeps, emailInput: string, origin: RequestOrigin): Promise<void> {
  if (!deps.mailer.available) throw new Refusal('EMAIL_SIGN_IN_UNAVAILABLE', 'Sign-in by e-mail is not available: this seller has not set up e-mail. Contact the seller for help.');
  const email = emailInput.trim().toLowerCase();
  const em = deps.em.fork();
  const keys = deps.throttle.keys(`portal:${email}`, `portal:${origin.ip ?? 'unknown'}`);
  const locked = await deps.throttle.lockedFor(em, [keys.account, keys.ip]);
  if (locked) throw new Refusal('SIGN_IN_LOCKED', `Too many sign-in links were asked for; try again in ${Math.ceil(locked / 60)} min.`, { retryAfterSeconds: locked });
  await deps.throttle.recordFailure(em, keys.account, deps.throttle.limits.maxFailuresPerAccount);
  await deps.throttle.recordFailure(em, keys.ip, deps.throttle.limits.maxFailuresPerIp);
  const customer = await em.findOne(Customer, { email });
  if (!customer) return;
  const link = await em.transactional(async (tx) => {
    const issued = await issueCustomerLink(tx, deps.secret, customer.id, deps.publicUrl);
    await recordAuditEvent(tx, {
      actor: customerActor(customer),
      action: 'customer.sign_in_link_requested',
      target: { type: 'customer', id: customer.id },
      after: { link_id: issued.id, expires_at: issued.expiresAt.toISOString() },
      origin,
    });
    return issued;
  });
  const delivery = await deps.mailer.send({ email: customer.email, name: customer.name ?? null }, link);
  // Never the link: only that it did not go out.
  if (delivery.status !== 'SENT') deps.logger.warn({ customerId: customer.id, reason: delivery.reason }, 'portal sign-in link not e-mailed');
}
