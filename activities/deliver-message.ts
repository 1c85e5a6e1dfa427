import { setTimeout as delay } from 'node:timers/promises';
import { ApplicationFailure } from '@temporalio/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { OutreachConfig } from '../lib/outreach-config.ts';
import type { Logger } from '../lib/logger.ts';
import type { ServerSecret } from '../lib/server-secret.ts';
import { OutboxMessage } from '../schema/entities.ts';
import type { OutboxStatus } from '../schema/outbox/outbox-message.entity.ts';
import { CustomerIoGateway, type ProviderTls } from '../outreach/customerio-gateway.ts';
import { deliverCustomerIo, type SendOutcome } from '../outreach/deliver-customerio.ts';
import { KEY_EMAIL_EVENTS } from '../domain/outbox/message-events.ts';
import { deliverHubSpot, NotYetError } from '../outreach/deliver-hubspot.ts';
import { HubSpotGateway } from '../outreach/hubspot-gateway.ts';
import { readMessageSubject } from '../outreach/message-subject.ts';
import { budgetSpends } from '../outreach/provider-budgets.ts';
import { readRenewalSignals, renewalSignalData } from '../outreach/renewal-signals.ts';
import { classifyProviderError } from '../outreach/provider-failure.ts';
import { DEFAULT_RATE_LIMIT_PAUSE_MS, pauseBudgets, pausedForMs } from '../outreach/rate-budget.ts';

export interface DeliveryDependencies {
  em: EntityManager;
  logger: Logger;
  outreach: OutreachConfig;
  /** Decrypts the stored key copy for the license-issued email. */
  secret?: ServerSecret;
  /** TLS for the provider connections (tests: the local servers' CA). */
  tls?: ProviderTls;
}

export interface DeliverMessageInput {
  outboxId: string;
  /**
   * `return`: a provider's 429 (or a pause another delivery's 429 set) is answered as
   * `RATE_LIMITED`, for the workflow to reserve a new send time. Without it (deliveries started
   * before provider rate limits) a 429 is a retryable failure, retried after its Retry-After.
   */
  rateLimited?: 'return';
  /**
   * Milliseconds to wait before sending: a send time reserved within the rate limit that is too
   * close for a durable timer (a timer's round trip through the server would cost more than it;
   * the workflow asks for at most MAX_IN_PROCESS_WAIT_MS).
   */
  waitMs?: number;
}

export type DeliveryOutcome = { status: OutboxStatus | 'MISSING' } | { status: 'RATE_LIMITED'; retryAfterMs: number };
/** The reminder whose Customer.io data carries the renewal signals (usage and renewal value). */
const RENEWAL_REMINDER = 'renewal_reminder';

/** Failure type of a delivery attempt worth repeating (5xx, 429, timeout). */
export const PROVIDER_UNAVAILABLE = 'PROVIDER_UNAVAILABLE';

/**
 * Delivers one outbox message through its provider and records the outcome on the row:
 * SENT with the provider's id, NOT_SENT (provider not configured), or FAILED with the error
 * (a rejection: 4xx other than 408/429). Provider outages are thrown as retryable failures,
 * after Retry-After when the provider sent one. A 429 pauses the provider's budget for every
 * worker (its Retry-After, else a second) and, when the workflow asks, comes back as
 * RATE_LIMITED instead: the message then waits for a new send time. Each request to a provider
 * is counted (`attempts`). A message no longer PENDING is left alone, so a repeated delivery
 * sends nothing twice.
 */
export function deliverMessage(deps: DeliveryDependencies) {
  const customerIo = new CustomerIoGateway(deps.outreach.customerio, deps.outreach.httpTimeoutMs, deps.tls);
  const hubSpot = new HubSpotGateway(deps.outreach.hubspot, deps.outreach.httpTimeoutMs);

  return async (input: DeliverMessageInput): Promise<DeliveryOutcome> => {
    if (input.waitMs && input.waitMs > 0) await delay(input.waitMs);
    const em = deps.em.fork();
    const message = await em.findOne(OutboxMessage, { id: input.outboxId });
    if (!message) return { status: 'MISSING' };
    if (message.status !== 'PENDING') return { status: message.status };
    const budgets = budgetSpends(message, deps.outreach).map((spend) => spend.budget);
    if (input.rateLimited === 'return') {
      // Another delivery met a 429 since this one's send time was reserved: do not add to it.
      const pausedMs = await pausedForMs(em, budgets);
      if (pausedMs > 0) return { status: 'RATE_LIMITED', retryAfterMs: pausedMs };
    }
    const finish = async (status: OutboxStatus, fields: { providerMessageId?: string | null; lastError?: string | null }) => {
      await em.execute(
        `update outbox_message set status = ?, provider_message_id = coalesce(?, provider_message_id), last_error = ?, sent_at = case when ? = 'SENT' then now() else sent_at end, updated_at = now()
          where id = ? and status = 'PENDING'`,
        [status, fields.providerMessageId ?? null, fields.lastError ?? null, status, message.id],
      );
      return { status };
    };

    const subject = await readMessageSubject(em, message.license.id, deps.outreach);
    if (!subject) return finish('FAILED', { lastError: 'the license no longer exists' });
    // Counted across executions (a rate-limited delivery starts a new one): an earlier attempt may have reached the provider.
    const attempt = message.attempts + 1;
    const configured = message.channel === 'hubspot' ? hubSpot.configured : KEY_EMAIL_EVENTS.has(message.event) ? customerIo.sendsLicenseKeys : customerIo.tracks;
    if (configured) await em.execute(`update outbox_message set attempts = attempts + 1, updated_at = now() where id = ?`, [message.id]);

    let outcome: SendOutcome;
    try {
      outcome =
        message.channel === 'hubspot'
          ? await deliverHubSpot(em, hubSpot, message, subject, { attempt, defaultOwnerId: deps.outreach.hubspot.defaultOwnerId, now: Date.now() })
          : await deliverCustomerIo(customerIo, message, subject, deps.secret, message.event === RENEWAL_REMINDER ? renewalSignalData(await readRenewalSignals(em, subject)) : undefined);
    } catch (error) {
      if (error instanceof NotYetError) {
        await em.execute(`update outbox_message set last_error = ?, updated_at = now() where id = ?`, [error.message, message.id]);
        throw ApplicationFailure.create({ message: error.message, type: PROVIDER_UNAVAILABLE });
      }
      const failure = classifyProviderError(message.channel === 'hubspot' ? 'HubSpot' : 'Customer.io', error);
      deps.logger.warn({ outboxId: message.id, event: message.event, status: failure.status, retryable: failure.retryable, attempt }, failure.message);
      if (!failure.retryable) return finish('FAILED', { lastError: failure.message });
      await em.execute(`update outbox_message set last_error = ?, updated_at = now() where id = ?`, [failure.message, message.id]);
      if (failure.status === 429) {
        const pauseMs = failure.retryAfterMs ?? DEFAULT_RATE_LIMIT_PAUSE_MS;
        await pauseBudgets(em, budgets, pauseMs);
        if (input.rateLimited === 'return') return { status: 'RATE_LIMITED', retryAfterMs: pauseMs };
      }
      throw ApplicationFailure.create({
        message: failure.message,
        type: PROVIDER_UNAVAILABLE,
        // In the details too: a local activity's failure reaches the workflow without its nextRetryDelay.
        ...(failure.retryAfterMs !== null ? { nextRetryDelay: failure.retryAfterMs, details: [{ retryAfterMs: failure.retryAfterMs }] } : {}),
      });
    }
    if (outcome.sent) return finish('SENT', { providerMessageId: outcome.providerMessageId });
    return finish(outcome.failed ? 'FAILED' : 'NOT_SENT', { lastError: outcome.reason });
  };
}

/** Records a delivery given up on (retries exhausted): FAILED, with why. */
export function markMessageFailed(em: EntityManager) {
  return async (input: { outboxId: string; error: string }) => {
    await em.fork().execute(`update outbox_message set status = 'FAILED', last_error = ?, updated_at = now() where id = ? and status = 'PENDING'`, [input.error.slice(0, 4000), input.outboxId]);
  };
}
