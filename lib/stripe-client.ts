import Stripe from 'stripe';
import type { StripeSettings } from './config.ts';

/**
 * The Stripe SDK client Keywarden reads subscriptions, invoices, charges and customers with.
 * `apiBase` points it elsewhere (stripe-mock in tests). Retries with backoff on network errors
 * and 429/5xx are the SDK's own.
 */
export function createStripeClient(settings: Pick<StripeSettings, 'secretKey' | 'apiBase'>): Stripe {
  const base = settings.apiBase ? new URL(settings.apiBase) : undefined;
  return new Stripe(settings.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: 'Keywarden' },
    ...(base
      ? { host: base.hostname, port: base.port || (base.protocol === 'http:' ? 80 : 443), protocol: base.protocol.replace(':', '') as 'http' | 'https' }
      : {}),
  });
}

/** What the API and the worker need for Stripe: the SDK client and the webhook endpoint secret. */
export interface StripeServices {
  client: Stripe;
  webhookSecret: string;
}

export function createStripeServices(settings: StripeSettings | undefined): StripeServices | undefined {
  return settings ? { client: createStripeClient(settings), webhookSecret: settings.webhookSecret } : undefined;
}
