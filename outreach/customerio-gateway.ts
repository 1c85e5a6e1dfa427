import { APIClient, RegionEU, RegionUS, SendEmailRequest, TrackClient } from 'customerio-node';
import type { OutreachConfig } from '../lib/outreach-config.ts';
import { withTimeout } from './provider-failure.ts';

/** TLS settings for the provider connections (tests: the local servers' CA). */
export interface ProviderTls {
  ca?: string | Buffer;
}

/**
 * Customer.io through customerio-node: the Track API (identify, events; Basic site id + API
 * key) and the App API (transactional email; Bearer app key). A client per call, so each has
 * its own timeout. customerio-node always speaks HTTPS and takes the port from its options,
 * not from an overridden URL, so the port is passed along.
 */
export class CustomerIoGateway {
  readonly #config: OutreachConfig['customerio'];
  readonly #timeoutMs: number;
  readonly #tls: ProviderTls;

  constructor(config: OutreachConfig['customerio'], timeoutMs: number, tls: ProviderTls = {}) {
    this.#config = config;
    this.#timeoutMs = timeoutMs;
    this.#tls = tls;
  }

  /** Identify and track need the site id and Track API key. */
  get tracks(): boolean {
    return Boolean(this.#config.siteId && this.#config.trackApiKey);
  }

  /** Transactional email needs the App API key and the message's id. */
  get sendsLicenseKeys(): boolean {
    return Boolean(this.#config.appApiKey && this.#config.licenseIssuedMessageId);
  }

  #defaults(url: string | undefined) {
    const port = url ? new URL(url).port : '';
    return {
      region: this.#config.region === 'eu' ? RegionEU : RegionUS,
      ...(url ? { url: url.replace(/\/$/, '') } : {}),
      ...(port ? { port: Number(port) } : {}),
      ...(this.#tls.ca ? { ca: this.#tls.ca } : {}),
      signal: AbortSignal.timeout(this.#timeoutMs),
    };
  }

  #track() {
    return new TrackClient(this.#config.siteId!, this.#config.trackApiKey!, this.#defaults(this.#config.trackUrl));
  }

  identify(customerId: string, attributes: Record<string, unknown>): Promise<unknown> {
    return withTimeout('Customer.io identify', this.#timeoutMs, () => this.#track().identify(customerId, attributes));
  }

  /** A person event; `id` (a ULID) makes Customer.io drop a repeat of the same event. */
  track(customerId: string, event: { name: string; id: string; timestamp: number; data: Record<string, unknown> }): Promise<unknown> {
    return withTimeout('Customer.io track', this.#timeoutMs, () => this.#track().track(customerId, event));
  }

  /** Sends the transactional message; answers Customer.io's delivery id. */
  sendLicenseKey(input: { to: string; customerId: string; messageData: Record<string, unknown> }): Promise<string> {
    return this.sendTransactional({ messageId: this.#config.licenseIssuedMessageId!, to: input.to, identifiers: { id: input.customerId }, messageData: input.messageData });
  }

  /** Whether transactional e-mail can be sent at all (the App API key). */
  get sendsTransactional(): boolean {
    return Boolean(this.#config.appApiKey);
  }

  /**
   * Sends a transactional message that carries a secret (a key, a one-time link): Customer.io
   * is told not to keep its body (`disable_message_retention`). Answers the delivery id.
   */
  async sendTransactional(input: { messageId: string; to: string; identifiers: { id: string } | { email: string }; messageData: Record<string, unknown> }): Promise<string> {
    const client = new APIClient(this.#config.appApiKey!, this.#defaults(this.#config.apiUrl));
    const request = new SendEmailRequest({
      transactional_message_id: input.messageId,
      to: input.to,
      identifiers: input.identifiers,
      message_data: input.messageData,
      disable_message_retention: true,
    });
    const answer = (await withTimeout('Customer.io send email', this.#timeoutMs, () => client.sendEmail(request))) as { delivery_id?: string };
    return answer.delivery_id ?? '';
  }
}
