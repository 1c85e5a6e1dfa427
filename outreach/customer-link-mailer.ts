import type { Logger } from '../lib/logger.ts';
import type { OutreachConfig } from '../lib/outreach-config.ts';
import type { CustomerLinkDelivery, CustomerLinkMailer } from '../domain/portal/customer-link-mailer.ts';
import { CustomerIoGateway, type ProviderTls } from './customerio-gateway.ts';
import { classifyProviderError } from './provider-failure.ts';

/**
 * Customers' portal sign-in links through Customer.io's transactional e-mail, the path that
 * sends license keys: one template (CUSTOMERIO_PORTAL_SIGN_IN_MESSAGE_ID) with `link_url`,
 * `expires_at`, `name` and `email` as message data, message retention off (the link is a
 * credential). The link is never logged.
 */
export class CustomerIoCustomerLinkMailer implements CustomerLinkMailer {
  readonly #gateway: CustomerIoGateway;
  readonly #messageId: string | undefined;
  readonly #logger: Logger;

  constructor(options: { outreach: OutreachConfig; messageId?: string; logger: Logger; tls?: ProviderTls }) {
    this.#gateway = new CustomerIoGateway(options.outreach.customerio, options.outreach.httpTimeoutMs, options.tls);
    this.#messageId = options.messageId;
    this.#logger = options.logger;
  }

  get available(): boolean {
    return Boolean(this.#gateway.sendsTransactional && this.#messageId);
  }

  async send(to: { email: string; name: string | null }, link: { url: string; expiresAt: Date }): Promise<CustomerLinkDelivery> {
    try {
      await this.#gateway.sendTransactional({
        messageId: this.#messageId!,
        to: to.email,
        identifiers: { email: to.email },
        messageData: { link_url: link.url, expires_at: link.expiresAt.toISOString(), name: to.name ?? '', email: to.email },
      });
      return { status: 'SENT' };
    } catch (error) {
      const failure = classifyProviderError('Customer.io', error);
      this.#logger.warn({ status: failure.status }, `portal sign-in e-mail not sent: ${failure.message}`);
      return { status: 'FAILED', reason: failure.message };
    }
  }
}
