import type { RenewalTaskTerms } from '../schema/outreach/crm-renewal-task.entity.ts';
import type { MessageSubject } from './message-subject.ts';
import { describeRenewalValue, type RenewalSignals } from './renewal-signals.ts';

const DAY_MS = 86_400_000;
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : 'none (perpetual)');
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renewalTerms(subject: MessageSubject): RenewalTaskTerms {
  return { plan: subject.planCode, seats: subject.seats, expiresAt: subject.expiresAt, status: subject.status };
}

function trendLine(usage: RenewalSignals['usage']): string {
  const change = usage.validationChange === null ? '' : ` (${usage.validationChange >= 0 ? '+' : ''}${Math.round(usage.validationChange * 100)}%)`;
  return `${usage.validationTrend}, ${usage.validations30d} in the last 30 days against ${usage.validationsPrevious30d} in the 30 before${change}`;
}

/**
 * The HubSpot task's properties: current terms, usage (seats, activation frequency, the
 * validation trend), the opportunity value and a reference
 * (`keywarden-<outbox id>`) that finds the task again. Due 30 days before expiry. An update
 * never reopens a task its owner has started or closed: the status is only sent to open or
 * complete it.
 */
export function renewalTaskProperties(input: {
  subject: MessageSubject;
  signals: RenewalSignals;
  reference: string;
  ownerId: string | null;
  now: number;
  /** Set when opening the task (NOT_STARTED) or completing it (COMPLETED); otherwise left as its owner set it. */
  status?: 'NOT_STARTED' | 'COMPLETED';
}): Record<string, string> {
  const { subject } = input;
  const { usage, value } = input.signals;
  const who = subject.customer?.name ?? subject.customer?.email ?? 'unknown customer';
  const expiry = subject.expiresAt ? Date.parse(subject.expiresAt) : input.now + 30 * DAY_MS;
  const due = Math.max(expiry - 30 * DAY_MS, input.now);
  const utilization = usage.seatUtilization === null ? `${usage.seatsInUse} in use (unlimited)` : `${usage.seatsInUse} of ${subject.seats} (${Math.round(usage.seatUtilization * 100)}%)`;
  const lines = [
    `Renewal of ${subject.productName} — ${subject.planName} for ${who}.`,
    `Terms: plan ${subject.planCode} (tier ${subject.tier}), ${subject.seats ?? 'unlimited'} seat(s), expires ${day(subject.expiresAt)}, status ${subject.status}.`,
    `Seat utilization: ${utilization}.`,
    `Activations: ${usage.activations30d} in the last 30 days, ${usage.activations90d} in the last 90.`,
    `Activation frequency: ${usage.activationsPerMonth} a month over the last 90 days.`,
    `Validations: ${usage.validations30d} in the last 30 days, ${usage.validations90d} in the last 90.`,
    `Validation trend: ${trendLine(usage)}; weekly over 12 weeks: ${usage.validationsWeekly.join(' ')}.`,
    `Renewal value: ${describeRenewalValue(value)}.`,
    `Renewal link: ${subject.renewalUrl}`,
    `License ${subject.licenseId} (${subject.keyHint}). Reference: ${input.reference}`,
  ];
  return {
    hs_timestamp: new Date(due).toISOString(),
    hs_task_subject: `Renewal: ${who} — ${subject.planName}, expires ${day(subject.expiresAt)}`,
    hs_task_body: lines.map((line) => `<p>${escape(line)}</p>`).join(''),
    ...(input.status ? { hs_task_status: input.status } : {}),
    hs_task_priority: 'HIGH',
    hs_task_type: 'TODO',
    ...(input.ownerId ? { hubspot_owner_id: input.ownerId } : {}),
  };
}
