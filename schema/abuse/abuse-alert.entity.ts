import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { License } from '../license/license.entity.ts';

/**
 * VELOCITY: validations in an hour from many addresses. GEO_SPREAD: one key seen from more
 * countries in a day than its plan allows. REFERRER_MISMATCH: calls whose Origin/Referer host is
 * neither the domain they claimed nor one the license allows. TRIAL_CYCLING: several trials that
 * share a fingerprint, an address, a normalized e-mail or a card. KEY_SHARING: machines churning
 * on one key faster than its plan allows.
 */
export const ABUSE_ALERT_KINDS = ['VELOCITY', 'GEO_SPREAD', 'REFERRER_MISMATCH', 'TRIAL_CYCLING', 'KEY_SHARING'] as const;
export type AbuseAlertKind = (typeof ABUSE_ALERT_KINDS)[number];

/** OPEN: raised, nobody has decided. DISMISSED: staff judged it harmless. ACTED: the plan's action ran (re-activation required, suspended). */
export const ABUSE_ALERT_STATUSES = ['OPEN', 'DISMISSED', 'ACTED'] as const;
export type AbuseAlertStatus = (typeof ABUSE_ALERT_STATUSES)[number];

/** What a plan does when an alert is raised (plan_abuse_policy.action). */
export const ABUSE_ACTIONS = ['FLAG', 'REQUIRE_REACTIVATION', 'SUSPEND'] as const;
export type AbuseAction = (typeof ABUSE_ACTIONS)[number];

/**
 * One suspicion about one license, raised by the abuse-checks schedule from the usage events.
 * A second finding of the same kind while the alert's window is still open merges into it
 * (`occurrences`, the window's end and the latest evidence), so a key that keeps misbehaving is
 * one alert, not one per check.
 */
export const AbuseAlert = defineEntity({
  name: 'AbuseAlert',
  tableName: 'abuse_alert',
  indexes: [
    { name: 'abuse_alert_created_index', properties: ['createdAt', 'id'] },
    { name: 'abuse_alert_license_kind_index', properties: ['license', 'kind', 'windowEnd'] },
    { name: 'abuse_alert_status_index', properties: ['status', 'createdAt'] },
  ],
  properties: {
    id: p.uuid().primary(),
    license: () => p.manyToOne(License).deleteRule('cascade'),
    kind: p.enum(ABUSE_ALERT_KINDS).nativeEnumName('abuse_alert_kind'),
    status: p.enum(ABUSE_ALERT_STATUSES).nativeEnumName('abuse_alert_status').default('OPEN'),
    /** What the check saw: counts, thresholds, samples (addresses, countries, hosts, licenses). Never a key. */
    evidence: p.json<Record<string, unknown>>(),
    windowStart: p.datetime(),
    windowEnd: p.datetime(),
    /** Checks that found it again within its window. */
    occurrences: p.integer().default(1),
    /** The plan's action, when one other than FLAG ran. */
    action: p.enum(ABUSE_ACTIONS).nativeEnumName('abuse_action').nullable(),
    actedAt: p.datetime().nullable(),
    dismissedAt: p.datetime().nullable(),
    dismissedBy: p.string().length(200).nullable(),
    dismissReason: p.text().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});

export type AbuseAlertEntity = InferEntity<typeof AbuseAlert>;
