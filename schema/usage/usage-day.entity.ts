import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { License } from '../license/license.entity.ts';

/**
 * The daily roll-up of usage_event per license, kind and code, kept for good (raw events are
 * dropped after USAGE_RAW_RETENTION_DAYS). The usage-maintenance schedule recomputes yesterday
 * and today from the raw partitions on every run, so a roll-up is at most one run behind.
 * Calls with an unknown key (no license) stay in the raw events only.
 */
export const UsageDay = defineEntity({
  name: 'UsageDay',
  tableName: 'usage_day',
  indexes: [{ name: 'usage_day_day_index', properties: ['day'] }],
  properties: {
    license: () => p.manyToOne(License).deleteRule('cascade').primary(),
    day: p.string().columnType('date').primary(),
    kind: p.string().length(20).primary(),
    code: p.string().length(40).primary(),
    events: p.bigint('number').default(0),
    distinctIps: p.integer().default(0),
    distinctFingerprints: p.integer().default(0),
    /** The countries seen (ISO codes, sorted). */
    countries: p.json<string[]>().default('[]'),
    /** The hosts seen: Origin/Referer hosts and claimed domains (sorted, at most 100). */
    domains: p.json<string[]>().default('[]'),
  },
});

export type UsageDayEntity = InferEntity<typeof UsageDay>;
