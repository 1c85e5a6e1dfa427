import type { RequestOrigin } from '../audit/audit-actor.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import type { SessionRecord } from '../sessions/session-store.ts';
import { findLiveCustomerLink } from './customer-link.ts';
import { customerActor, type PortalCustomer, type PortalSignInDeps } from './portal-deps.ts';

/**
 * Uses a sign-in link: locked and marked used in the transaction that opens the customer's
 * session, so it signs in exactly once. The browser's previous portal session ends with it.
 */
export async function redeemCustomerLink(
  deps: Pick<PortalSignInDeps, 'em' | 'secret' | 'sessions'>,
  token: string,
  origin: RequestOrigin,
  replacing: string | null,
): Promise<{ customer: PortalCustomer & { name: string | null }; token: string; session: SessionRecord }> {
  return deps.em.fork().transactional(async (tx) => {
    const link = await findLiveCustomerLink(tx, deps.secret, token);
    link.usedAt = new Date();
    await tx.flush();
    if (replacing) await deps.sessions.revoke(tx, replacing, 'replaced_by_sign_in');
    await deps.sessions.prune(tx);
    const customer = link.customer;
    const started = await deps.sessions.create(tx, customer.id, origin);
    await recordAuditEvent(tx, {
      actor: customerActor(customer),
      action: 'customer.signed_in',
      target: { type: 'customer_session', id: started.session.id },
      after: { customer_id: customer.id, link_id: link.id, expires_at: started.session.expiresAt.toISOString() },
      origin,
    });
    return { customer: { id: customer.id, email: customer.email, name: customer.name ?? null }, ...started };
  });
}
