import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * One provider API's request budget (`customerio-track`, `customerio-transactional`,
 * `hubspot`), shared by every worker: message deliveries reserve their requests' send times
 * from it (outreach/rate-budget.ts), spaced by the configured requests per second.
 * `nextAt` is where the next reservation starts; `urgentNextAt` the same for messages a person
 * is waiting for (a license key), which go ahead of a burst of reminders; `pausedUntil` is
 * when the provider, having answered 429, takes requests again.
 */
export const ProviderRateBudget = defineEntity({
  name: 'ProviderRateBudget',
  tableName: 'provider_rate_budget',
  properties: {
    name: p.string().length(64).primary(),
    nextAt: p.datetime(),
    urgentNextAt: p.datetime(),
    pausedUntil: p.datetime(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export type ProviderRateBudgetEntity = InferEntity<typeof ProviderRateBudget>;
