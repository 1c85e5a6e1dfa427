import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../lib/logger.ts';
import type { ServerSecret } from '../../lib/server-secret.ts';
import type { AuditActor, RequestOrigin } from '../audit/audit-actor.ts';
import type { SessionStore } from '../sessions/session-store.ts';
import type { SignInThrottle } from '../sessions/sign-in-throttle.ts';
import type { CustomerLinkMailer } from './customer-link-mailer.ts';

/** What the portal's sign-in operations take. */
export interface PortalSignInDeps {
  em: EntityManager;
  secret: ServerSecret;
  sessions: SessionStore;
  throttle: SignInThrottle;
  mailer: CustomerLinkMailer;
  logger: Logger;
  publicUrl: string;
}

/** The signed-in customer behind a portal request. */
export interface PortalCustomer {
  id: string;
  email: string;
}

/** Who acts in the portal, for the audit trail: `customer:<id>`, labelled with the e-mail. */
export const customerActor = (customer: PortalCustomer): AuditActor => ({ type: 'customer', id: customer.id, label: customer.email });

/** The license trail's spelling of the actor (`deactivated_by`, `issued_by`). */
export const customerActorKey = (customer: PortalCustomer) => `customer:${customer.id}`;

export interface CustomerActing {
  customer: PortalCustomer;
  origin: RequestOrigin;
}
