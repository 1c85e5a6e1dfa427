import { z } from 'zod';
import { ABUSE_ACTIONS, ABUSE_ALERT_KINDS, ABUSE_ALERT_STATUSES } from '../../../schema/abuse/abuse-alert.entity.ts';
import { abusePolicyRequestSchema } from '../../../domain/abuse/abuse-policy.ts';
import { dismissAbuseAlertSchema } from '../../../domain/abuse/dismiss-abuse-alert.ts';
import { requestSchema, responseSchema } from '../registry.ts';
import { metadata, page, timestamp, uuid } from './common.ts';

export const AbuseAlertKind = responseSchema(
  'AbuseAlertKind',
  z.enum(ABUSE_ALERT_KINDS),
  'VELOCITY: more validations in an hour than the plan allows, from many addresses. GEO_SPREAD: one key from more countries in 24 hours than the plan allows. REFERRER_MISMATCH: calls from pages whose host is neither the domain claimed nor an allowed one. TRIAL_CYCLING: more trials in 30 days than the plan allows sharing a fingerprint, a public address, a normalized e-mail or a Stripe card. KEY_SHARING: more machines on one key in 7 days than the plan allows.',
);
export const AbuseAlertStatus = responseSchema('AbuseAlertStatus', z.enum(ABUSE_ALERT_STATUSES), 'OPEN: raised, undecided. DISMISSED: judged harmless by staff. ACTED: the plan\'s action ran.');
const AbuseAction = z.enum(ABUSE_ACTIONS);

/** Mirrors abuseAlertResource() in api/abuse/abuse-alert.resource.ts. */
export const AbuseAlert = responseSchema(
  'AbuseAlert',
  z.object({
    id: uuid,
    license_id: uuid,
    kind: AbuseAlertKind,
    status: AbuseAlertStatus,
    evidence: metadata.describe('What the check saw: counts, thresholds and samples (addresses, countries, hosts, machines, trials). Never a key.'),
    window_start: timestamp,
    window_end: timestamp.describe('Moves on when later checks find the same thing again (they merge into this alert).'),
    occurrences: z.number().int().min(1).describe('Checks that found it within its window.'),
    action: AbuseAction.nullable().describe('The plan\'s action that ran: REQUIRE_REACTIVATION (every activation ended) or SUSPEND (through the license workflow, actor system:abuse).'),
    acted_at: timestamp.nullable(),
    dismissed_at: timestamp.nullable(),
    dismissed_by: z.string().nullable(),
    dismiss_reason: z.string().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  }),
  'A suspicion about one license, raised by the abuse checks.',
);
export const AbuseAlertPage = page('AbuseAlertPage', AbuseAlert);

export const DismissAbuseAlertRequest = requestSchema('DismissAbuseAlertRequest', dismissAbuseAlertSchema, 'Why the alert is harmless (kept in the alert and the audit trail).');

export const AbusePolicy = responseSchema(
  'AbusePolicy',
  z.object({
    action: AbuseAction.describe('What a new alert does: FLAG (nothing), REQUIRE_REACTIVATION, SUSPEND.'),
    velocity_validations_per_hour: z.number().int(),
    velocity_distinct_ips: z.number().int(),
    max_countries_per_day: z.number().int(),
    referrer_check: z.boolean(),
    trials_per_identity: z.number().int(),
    fingerprints_per_week: z.number().int().nullable().describe('null: three times the seat limit.'),
  }),
  'A plan\'s abuse thresholds and action (its own settings over the defaults).',
);
export const AbusePolicyRequest = requestSchema('AbusePolicyRequest', abusePolicyRequestSchema, 'Replaces the plan\'s abuse settings: fields left out take the defaults.');
