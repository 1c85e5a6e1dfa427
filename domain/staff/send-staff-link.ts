import type { EntityManager } from '@mikro-orm/postgresql';
import type { StaffMemberEntity } from '../../schema/staff/staff-member.entity.ts';
import { issueStaffLink } from './issue-staff-link.ts';
import type { LinkDelivery, StaffLinkEmail } from './staff-mailer.ts';
import type { StaffDeps } from './staff-deps.ts';

export interface SentLink {
  expiresAt: Date;
  delivery: LinkDelivery;
  /** The link, only when it was not e-mailed: the owner hands it over (shown once, never logged). */
  url: string | null;
}

/**
 * Issues a member's invitation or reset link inside the caller's transaction `tx`; `send()`
 * e-mails it once that transaction has committed, so no e-mail carries a link that was rolled back.
 */
export async function prepareStaffLink(tx: EntityManager, deps: StaffDeps, member: StaffMemberEntity, kind: StaffLinkEmail, createdBy: string) {
  const link = await issueStaffLink(tx, deps.secret, { purpose: kind, staffId: member.id, createdBy, publicUrl: deps.publicUrl });
  return {
    id: link.id,
    expiresAt: link.expiresAt,
    /** Sends it; run after the commit. */
    async send(): Promise<SentLink> {
      const delivery = await deps.mailer.send(kind, { email: member.email, name: member.name }, link);
      return { expiresAt: link.expiresAt, delivery, url: delivery.status === 'SENT' ? null : link.url };
    },
  };
}
