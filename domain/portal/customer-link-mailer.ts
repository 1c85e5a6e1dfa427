/** What became of a sign-in link's e-mail. */
export type CustomerLinkDelivery = { status: 'SENT' } | { status: 'FAILED'; reason: string };

/**
 * Sends a customer's portal sign-in link by e-mail (the Customer.io transactional path that
 * sends license keys, `outreach/customer-link-mailer.ts`). `available` is false without a
 * provider or template: the portal then says sign-in by e-mail is not available.
 */
export interface CustomerLinkMailer {
  readonly available: boolean;
  send(to: { email: string; name: string | null }, link: { url: string; expiresAt: Date }): Promise<CustomerLinkDelivery>;
}
