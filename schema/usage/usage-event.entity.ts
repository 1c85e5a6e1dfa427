import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** What a client call was: the four client endpoints. */
export const USAGE_EVENT_KINDS = ['validation', 'activation', 'deactivation', 'heartbeat'] as const;
export type UsageEventKind = (typeof USAGE_EVENT_KINDS)[number];

/**
 * One client call (validation, activation, deactivation, heartbeat), or several identical ones
 * in the same flush interval (`count`): the API aggregates calls in memory and writes them in
 * one multi-row insert every USAGE_FLUSH_INTERVAL (domain/usage/usage-recorder.ts).
 *
 * The table is partitioned by UTC day of `occurred_at` (native range partitioning, created in
 * the migration and not declared here: MikroORM then leaves the partitioning alone). Partitions
 * `usage_event_YYYYMMDD` are created ahead and dropped after USAGE_RAW_RETENTION_DAYS by the
 * usage-maintenance schedule; daily roll-ups (usage_day) are kept for good.
 *
 * No foreign key to license: an unknown key's attempts have no license, and the raw log must
 * not slow down or block license writes.
 */
export const UsageEvent = defineEntity({
  name: 'UsageEvent',
  tableName: 'usage_event',
  indexes: [
    { name: 'usage_event_license_index', properties: ['licenseId', 'occurredAt'] },
    { name: 'usage_event_fingerprint_index', properties: ['fingerprint', 'occurredAt'] },
    { name: 'usage_event_ip_index', properties: ['ip', 'occurredAt'] },
  ],
  properties: {
    id: p.uuid().primary(),
    /** The first of the aggregated calls; the partition key. */
    occurredAt: p.datetime().primary(),
    /** Null for a key that matched no license. */
    licenseId: p.uuid().nullable(),
    kind: p.string().length(20),
    /** The answer's code: VALID, EXPIRED, ACTIVATED, SEAT_LIMIT_EXCEEDED, DEACTIVATED, LEASE_RENEWED, NOT_FOUND, … */
    code: p.string().length(40),
    /** The client's address behind the trusted proxies (TRUST_PROXY), never a raw X-Forwarded-For. */
    ip: p.string().length(64).nullable(),
    /** ISO 3166-1 alpha-2, from the offline database; null when unknown (private ranges, no data). */
    country: p.string().length(2).nullable(),
    /** The host of the request's Origin (or else Referer) header. */
    originHost: p.string().length(255).nullable(),
    /** The domain the client claimed in its request body. */
    domain: p.string().length(255).nullable(),
    fingerprint: p.string().length(255).nullable(),
    /** From the `Keywarden-Client: <name>/<version>` header the SDK sends. */
    sdkName: p.string().length(100).nullable(),
    sdkVersion: p.string().length(50).nullable(),
    /** How many identical calls this row stands for. */
    count: p.integer().default(1),
  },
});

export type UsageEventEntity = InferEntity<typeof UsageEvent>;
