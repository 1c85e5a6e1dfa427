import { DEFAULT_PROVIDER_RATE_LIMITS, type OutreachConfig } from '../lib/outreach-config.ts';
import { KEY_EMAIL_EVENTS } from '../domain/outbox/message-events.ts';
import { RENEWAL_TASK } from './deliver-hubspot.ts';

/** A provider API with a rate limit of its own. Customer.io limits its Track and transactional APIs apart. */
export type ProviderBudgetName = 'customerio-track' | 'customerio-transactional' | 'hubspot';

/** The requests one delivery sends to one provider API, and that API's limit. */
export interface BudgetSpend {
  budget: ProviderBudgetName;
  requests: number;
  perSecond: number;
}

/**
 * The requests a message's delivery sends, by provider API, as outreach/deliver-*.ts send them:
 * a Customer.io event identifies the person and tracks the event (two Track requests); a key
 * email identifies (Track) and sends (transactional); a HubSpot renewal task reads the owner of
 * the company and the contact and creates the task (three), an update writes it (one). A
 * provider without credentials is sent nothing (the message is recorded NOT_SENT).
 */
export function budgetSpends(message: { channel: string; event: string }, outreach: OutreachConfig): BudgetSpend[] {
  const limits = outreach.rateLimits ?? DEFAULT_PROVIDER_RATE_LIMITS;
  if (message.channel === 'hubspot') {
    if (!outreach.hubspot.accessToken) return [];
    return [{ budget: 'hubspot', requests: message.event === RENEWAL_TASK ? 3 : 1, perSecond: limits.hubspot }];
  }
  const { customerio } = outreach;
  const tracks = Boolean(customerio.siteId && customerio.trackApiKey);
  // A key e-mail (a new license, a rotated key, a key sent again) goes through the transactional API.
  if (KEY_EMAIL_EVENTS.has(message.event)) {
    if (!customerio.appApiKey || !customerio.licenseIssuedMessageId) return [];
    return [...(tracks ? [{ budget: 'customerio-track' as const, requests: 1, perSecond: limits.customerio }] : []), { budget: 'customerio-transactional', requests: 1, perSecond: limits.customerio }];
  }
  return tracks ? [{ budget: 'customerio-track', requests: 2, perSecond: limits.customerio }] : [];
}

