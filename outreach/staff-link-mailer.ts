import type { Logger } from '../lib/logger.ts';
import type { OutreachConfig } from '../lib/outreach-config.ts';
import type { LinkDelivery, StaffLinkEmail, StaffMailer } from '../domain/staff/staff-mailer.ts';
import { CustomerIoGateway, type ProviderTls } from './customerio-gateway.ts';
import { classifyProviderError } from './provider-failure.ts';

/**
 * Staff invitations and password resets through Customer.io's transactional e-mail, the path
 * that sends license keys: one template per kind (`link_url`, `expires_at`, `name`, `email` as
 * message data), message retention off. Sent while the owner waits, so a failure is reported
 * at once and the owner can hand the link over instead; the link is never logged.
 */
export class CustomerIoStaffMailer implements StaffMailer {
  readonly #gateway: CustomerIoGateway;
  readonly #messageIds: Record<StaffLinkEmail, string | undefined>;
  readonly #logger: Logger;

  constructor(options: { outreach: OutreachConfig; messageIds: { invitation?: string; passwordReset?: string }; logger: Logger; tls?: ProviderTls }) {
    this.#gateway = new CustomerIoGateway(options.outreach.customerio, options.outreach.httpTimeoutMs, options.tls);
    this.#messageIds = { INVITATION: options.messageIds.invitation, PASSWORD_RESET: options.messageIds.passwordReset };
    this.#logger = options.logger;
  }

  async send(kind: StaffLinkEmail, to: { email: string; name: string }, link: { url: string; expiresAt: Date }): Promise<LinkDelivery> {
    const messageId = this.#messageIds[kind];
    if (!this.#gateway.sendsTransactional || !messageId) {
      const variable = kind === 'INVITATION' ? 'CUSTOMERIO_STAFF_INVITATION_MESSAGE_ID' : 'CUSTOMERIO_PASSWORD_RESET_MESSAGE_ID';
      return { status: 'NOT_CONFIGURED', reason: `e-mail is not configured (CUSTOMERIO_APP_API_KEY and ${variable})` };
    }
    try {
      const deliveryId = await this.#gateway.sendTransactional({
        messageId,
        to: to.email,
        identifiers: { email: to.email },
        messageData: { link_url: link.url, expires_at: link.expiresAt.toISOString(), name: to.name, email: to.email },
      });
      return { status: 'SENT', deliveryId };
    } catch (error) {
      const failure = classifyProviderError('Customer.io', error);
      this.#logger.warn({ kind, status: failure.status }, `staff e-mail not sent: ${failure.message}`);
      return { status: 'FAILED', reason: failure.message };
    }
  }
}
