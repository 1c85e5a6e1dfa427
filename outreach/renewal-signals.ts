import type { EntityManager } from '@mikro-orm/postgresql';
import { readLicenseValues, type LicenseValue } from '../domain/reports/license-value.ts';
import type { MessageSubject } from './message-subject.ts';
import { readUsageMetrics, type UsageMetrics } from './usage-metrics.ts';

/** What a renewal conversation needs: how the license is used, and what its renewal is worth. */
export interface RenewalSignals {
  usage: UsageMetrics;
  /** From the Stripe subscription (price × quantity) where sold through Stripe, else the license's metadata; null when neither says. */
  value: LicenseValue | null;
}

export async function readRenewalSignals(em: EntityManager, subject: MessageSubject): Promise<RenewalSignals> {
  const [usage, values] = await Promise.all([readUsageMetrics(em, subject.licenseId, subject.seats), readLicenseValues(em, [subject.licenseId])]);
  return { usage, value: values.get(subject.licenseId) ?? null };
}

/** The signals as Customer.io template data (`usage`, `renewal_value`): snake_case, as every other attribute. */
export function renewalSignalData(signals: RenewalSignals): Record<string, unknown> {
  const { usage, value } = signals;
  return {
    usage: {
      seats_in_use: usage.seatsInUse,
      seat_utilization: usage.seatUtilization,
      activations_30d: usage.activations30d,
      activations_90d: usage.activations90d,
      activations_per_month: usage.activationsPerMonth,
      validations_30d: usage.validations30d,
      validations_previous_30d: usage.validationsPrevious30d,
      validations_90d: usage.validations90d,
      validation_change: usage.validationChange,
      validation_trend: usage.validationTrend,
      validations_weekly: usage.validationsWeekly,
    },
    renewal_value: value ? { amount: value.amount, currency: value.currency, period_months: value.periodMonths, monthly: value.monthly, source: value.source } : null,
  };
}

/** How a person reads the value: `600.00 USD per 12 months (Stripe subscription: price × quantity)`. */
export function describeRenewalValue(value: LicenseValue | null): string {
  if (!value) return 'not known (not sold through Stripe; set renewal_value in the license metadata)';
  const period = value.periodMonths === 1 ? 'per month' : value.periodMonths === 12 ? 'per year' : `per ${value.periodMonths} months`;
  const source = value.source === 'stripe' ? 'Stripe subscription: price × quantity' : 'license metadata';
  return `${value.amount.toFixed(2)} ${value.currency} ${period} (${source})`;
}
