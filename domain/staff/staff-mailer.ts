/** The e-mails that carry a staff member's one-time link. */
export type StaffLinkEmail = 'INVITATION' | 'PASSWORD_RESET';

export type LinkDelivery =
  | { status: 'SENT'; deliveryId: string }
  /** No provider or template configured: the owner hands the link over. */
  | { status: 'NOT_CONFIGURED'; reason: string }
  | { status: 'FAILED'; reason: string };

/** Sends a staff link by e-mail (the Customer.io transactional path, `outreach/staff-link-mailer.ts`). */
export interface StaffMailer {
  send(kind: StaffLinkEmail, to: { email: string; name: string }, link: { url: string; expiresAt: Date }): Promise<LinkDelivery>;
}
