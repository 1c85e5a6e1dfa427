import { z } from 'zod';
import { LEAKAGE_KINDS } from '../../../domain/reports/revenue-leakage-report.ts';
import { METRIC_NAMES } from '../../../domain/reports/licensing-metrics-report.ts';
import { responseSchema } from '../registry.ts';
import { LicenseStatus, timestamp, uuid } from './common.ts';

const count = z.number().int().min(0);
const share = z.number().min(0).nullable();
const day = z.string().describe('A UTC day, YYYY-MM-DD.');

/** Mirrors reportHeader() in api/reports/report-resources.ts. */
const header = {
  report: z.string(),
  range: z.object({ from: day, to: day, days: z.number().int().min(1) }).describe('The days covered, both included.'),
  filters: z.object({ product: z.string().nullable(), plan: z.string().nullable(), tier: z.string().nullable() }),
  generated_at: timestamp,
};

export const UtilizationReport = responseSchema(
  'UtilizationReport',
  z.object({
    ...header,
    summary: z.object({ issued: count, active: count, active_share: share.describe('active / issued; null when none is issued.') }),
    plans: z.array(z.object({ product: z.string(), plan: z.string(), tier: z.string(), issued: count, active: count, active_share: share })),
    licenses: z
      .array(z.object({ license_id: uuid, key_hint: z.string(), customer_email: z.string().nullable(), plan: z.string(), seats_in_use: count, seat_limit: z.number().int().nullable(), utilization: share }))
      .describe('Up to 500, the most used first.'),
    customers: z
      .array(z.object({ customer_id: uuid, email: z.string(), licenses: count, seats_in_use: count, seat_limit: z.number().int().nullable(), utilization: share }))
      .describe('Up to 500, the most seats in use first.'),
  }),
  'Issued licenses (issued by the range\'s end, not revoked or expired) and those validated within the range (active); seat utilization now, per license and per customer.',
);

const SeatPoint = z.object({ day, licenses: count, seats_in_use: count, seat_limit: z.number().int().nullable().describe('Σ of the limited licenses\' limits; null when all were unlimited.') });

export const SeatTrendReport = responseSchema(
  'SeatTrendReport',
  z.object({
    ...header,
    plans: z.array(z.object({ product: z.string(), plan: z.string(), tier: z.string(), points: z.array(SeatPoint) })),
    licenses: z.array(z.object({ license_id: uuid, key_hint: z.string(), plan: z.string(), points: z.array(SeatPoint) })),
  }),
  'Seats in use per day from the daily seat snapshots, per plan and per license (the one asked for, or the ten with the most seats in use).',
);

const cohortFigures = { due: count, renewed: count, churned: count, open: count, renewal_rate: share.describe('renewed / (renewed + churned); null while none is decided.') };

export const RenewalCohortsReport = responseSchema(
  'RenewalCohortsReport',
  z.object({
    ...header,
    totals: z.object(cohortFigures),
    cohorts: z.array(z.object({ month: z.string().describe('YYYY-MM (UTC) the terms end in.'), tier: z.string(), ...cohortFigures })),
  }),
  'License terms ending within the range, by month and tier: renewed (the term end was moved later), churned (expired or revoked), or still open.',
);

export const RevenueLeakageReport = responseSchema(
  'RevenueLeakageReport',
  z.object({
    ...header,
    summary: z.array(
      z.object({
        kind: z.enum(LEAKAGE_KINDS),
        licenses: count,
        units: count,
        monthly_value: z.record(z.string(), z.number()).describe('Estimated value per month, per currency (ISO 4217), of the priced findings.'),
        unpriced: count.describe('Findings whose license has no known price.'),
      }),
    ),
    findings: z.array(
      z.object({
        kind: z.enum(LEAKAGE_KINDS),
        license_id: uuid,
        key_hint: z.string(),
        customer_email: z.string().nullable(),
        plan: z.string(),
        status: LicenseStatus,
        units: count.describe('Seats over the limit, refused validations, or domains or countries beyond the plan\'s.'),
        allowed: z.number().int().nullable(),
        since: timestamp.nullable(),
        days: z.number().int().min(0).nullable(),
        monthly_value: z.number().nullable(),
        currency: z.string().nullable(),
      }),
    ),
  }),
  'Revenue leaking past enforcement: seats over the limit (over_seat_limit), revoked, expired or suspended keys still validating (refused_keys_validating), keys on more domains (extra_domains) or from more countries (extra_countries) than the plan implies; each with an estimated value per month where the license\'s price is known (its Stripe subscription, or its renewal_value metadata).',
);

export const LicensingMetricsReport = responseSchema(
  'LicensingMetricsReport',
  z.object({
    ...header,
    metrics: z.array(
      z.object({
        metric: z.enum(METRIC_NAMES),
        label: z.string(),
        value: z.number().nullable(),
        unit: z.enum(['share', 'ratio', 'hours']),
        target: z.object({ op: z.enum(['>', '<']), value: z.number() }),
        meets: z.boolean().nullable(),
        numerator: z.number().nullable(),
        denominator: z.number().nullable(),
        note: z.string(),
      }),
    ),
  }),
  'The five licensing metrics of the micro-SaaS article over the range, each beside the article\'s target.',
);
