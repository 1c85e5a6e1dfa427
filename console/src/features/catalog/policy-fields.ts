import type { Plan, PlanEdit } from './api';

/**
 * Every field a plan edit sets, as the policy editor shows it: grouped, labelled, with the
 * kind of control and how its text becomes the API's value. The API checks each value again
 * (its answer to a dry run names the fields in error); the editor only turns text into the
 * value's type, saying so when it cannot.
 */
export type FieldKind = 'text' | 'int' | 'optional-int' | 'select' | 'days-list' | 'text-list' | 'date' | 'json';

export interface PolicyField {
  key: keyof PlanEdit & keyof Plan;
  label: string;
  kind: FieldKind;
  hint?: string;
  options?: Array<{ value: string; label: string }>;
  /** What an empty optional number means (the editor's hint)… */
  emptyMeans?: string;
  /** …and how the read-only view says it. */
  none?: string;
}

export interface FieldGroup {
  id: string;
  title: string;
  description: string;
  fields: PolicyField[];
}

export const FIELD_GROUPS: FieldGroup[] = [
  {
    id: 'identity',
    title: 'Plan',
    description: 'How staff, the CRM task and the customer see the plan.',
    fields: [
      { key: 'name', label: 'Name', kind: 'text' },
      { key: 'tier', label: 'Tier', kind: 'text', hint: 'Groups plans across products (e.g. pro, enterprise).' },
    ],
  },
  {
    id: 'seats',
    title: 'Seats and overage',
    description: 'How many machines or people may use one license, and the grace beyond the limit.',
    fields: [
      {
        key: 'seat_model',
        label: 'Seat model',
        kind: 'select',
        options: [
          { value: 'DEVICE', label: 'Device (one seat per machine)' },
          { value: 'NAMED_USER', label: 'Named user (one seat per person)' },
          { value: 'CONCURRENT', label: 'Concurrent (leases renewed by heartbeat)' },
        ],
      },
      { key: 'seat_limit', label: 'Seat limit', kind: 'optional-int', emptyMeans: 'Empty: unlimited seats.', none: 'Unlimited' },
      { key: 'overage_seats', label: 'Overage seats', kind: 'int', hint: 'Activations allowed beyond the limit…' },
      { key: 'overage_days', label: 'Overage days', kind: 'int', hint: '…for this many days after the first one.' },
      { key: 'lease_seconds', label: 'Lease (seconds)', kind: 'int', hint: 'Concurrent seats: how long a lease lasts without a heartbeat (30 or more).' },
      { key: 'deactivation_limit', label: 'Self-service deactivations', kind: 'optional-int', emptyMeans: 'Empty: no cap.', none: 'No cap' },
      { key: 'deactivation_period_days', label: 'Deactivation period (days)', kind: 'int', hint: 'The cap counts deactivations over this many days.' },
    ],
  },
  {
    id: 'locks',
    title: 'Locks',
    description: 'Where a license may be used. Empty lists allow everywhere.',
    fields: [
      { key: 'allowed_domains', label: 'Allowed domains', kind: 'text-list', hint: 'Comma-separated: example.com, or *.example.com for its subdomains.' },
      { key: 'allowed_cidrs', label: 'Allowed IP ranges', kind: 'text-list', hint: 'Comma-separated: 10.0.0.0/8, 2001:db8::/32.' },
    ],
  },
  {
    id: 'term',
    title: 'Term and trial',
    description: 'How long a license runs. A change of a fixed term end moves the licenses that end on it.',
    fields: [
      {
        key: 'term_kind',
        label: 'Term',
        kind: 'select',
        options: [
          { value: 'PERPETUAL', label: 'Perpetual (never ends)' },
          { value: 'DURATION', label: 'Duration (a number of days)' },
          { value: 'FIXED_END', label: 'Fixed end (a date, e.g. the academic year)' },
        ],
      },
      { key: 'term_days', label: 'Term (days)', kind: 'optional-int', emptyMeans: 'Needed for a duration term.' },
      { key: 'term_ends_at', label: 'Term ends on', kind: 'date', hint: 'Needed for a fixed end (midnight UTC).' },
      { key: 'trial_days', label: 'Trial (days)', kind: 'optional-int', emptyMeans: 'Empty: no trial.', none: 'No trial' },
    ],
  },
  {
    id: 'lifecycle',
    title: 'Grace and reminders',
    description: 'Running licenses on the plan follow a change from now on: reminders already sent are not sent again.',
    fields: [
      { key: 'expiry_grace_days', label: 'Grace after expiry (days)', kind: 'int' },
      { key: 'payment_grace_days', label: 'Grace after a failed payment (days)', kind: 'int' },
      { key: 'reminder_offsets_days', label: 'Renewal reminders (days before expiry)', kind: 'days-list', hint: 'Comma-separated, e.g. 90, 30, 14, 7, 0.' },
    ],
  },
  {
    id: 'validation',
    title: 'Validation cache',
    description: 'How long the licensed software may trust a validation answer offline.',
    fields: [
      { key: 'cache_ttl_seconds', label: 'Cache time (seconds)', kind: 'int' },
      { key: 'trial_cache_ttl_seconds', label: 'Trial cache time (seconds)', kind: 'int' },
    ],
  },
  {
    id: 'billing',
    title: 'Entitlements and Stripe',
    description: 'What the license unlocks, and the Stripe prices that sell it.',
    fields: [
      { key: 'features', label: 'Features (JSON)', kind: 'json', hint: 'An object of feature flags and limits, e.g. {"export": true, "projects": 10}.' },
      { key: 'stripe_price_ids', label: 'Stripe prices', kind: 'text-list', hint: 'Comma-separated price ids (price_…).' },
    ],
  },
];

export const POLICY_FIELDS = FIELD_GROUPS.flatMap((group) => group.fields);

export type Draft = Record<string, string>;

/** The text a control shows for the plan's value. */
export function toText(field: PolicyField, value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (field.kind) {
    case 'days-list':
    case 'text-list':
      return (value as unknown[]).join(', ');
    case 'json':
      return JSON.stringify(value, null, 2);
    case 'date':
      return String(value).slice(0, 10);
    default:
      return String(value);
  }
}

export const draftOf = (plan: Plan): Draft => Object.fromEntries(POLICY_FIELDS.map((field) => [field.key, toText(field, plan[field.key])]));

const splitList = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** The API's value of a control's text, or the reason it has none. */
export function fromText(field: PolicyField, text: string): { value: unknown } | { error: string } {
  const trimmed = text.trim();
  switch (field.kind) {
    case 'text':
    case 'select':
      return { value: trimmed };
    case 'int':
    case 'optional-int':
      if (!trimmed) return field.kind === 'optional-int' ? { value: null } : { error: 'Enter a whole number.' };
      return /^-?\d+$/.test(trimmed) ? { value: Number(trimmed) } : { error: 'Enter a whole number.' };
    case 'days-list': {
      const items = splitList(trimmed);
      if (items.some((item) => !/^-?\d+$/.test(item))) return { error: 'Enter whole numbers of days, separated by commas.' };
      return { value: items.map(Number) };
    }
    case 'text-list':
      return { value: splitList(trimmed) };
    case 'date':
      if (!trimmed) return { value: null };
      return /^\d{4}-\d{2}-\d{2}$/.test(trimmed) && !Number.isNaN(Date.parse(`${trimmed}T00:00:00Z`)) ? { value: `${trimmed}T00:00:00.000Z` } : { error: 'Enter a date (YYYY-MM-DD).' };
    case 'json':
      try {
        const parsed: unknown = JSON.parse(trimmed || '{}');
        return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? { value: parsed } : { error: 'Enter a JSON object, e.g. {"export": true}.' };
      } catch {
        return { error: 'This is not valid JSON.' };
      }
  }
}

/**
 * The edit a draft makes to the plan: only the fields whose value differs, and the fields whose
 * text has no value (shown next to the field; no request is made while any is left).
 */
export function editOf(plan: Plan, draft: Draft): { edit: PlanEdit; errors: Record<string, string> } {
  const edit: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of POLICY_FIELDS) {
    const text = draft[field.key] ?? '';
    if (text === toText(field, plan[field.key])) continue;
    const parsed = fromText(field, text);
    if ('error' in parsed) errors[field.key] = parsed.error;
    else if (JSON.stringify(parsed.value) !== JSON.stringify(plan[field.key] ?? null)) edit[field.key] = parsed.value;
  }
  return { edit: edit as PlanEdit, errors };
}

/** The editor's field an API error names (`reminder_offsets_days.0` → `reminder_offsets_days`). */
export const fieldOfError = (field: string) => field.split('.')[0]!;

/** A value as the impact preview shows it. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(none)';
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return value.slice(0, 10);
  return String(value);
}

/** A field's label, for the preview's rows (snake_case names of fields the editor lacks, as they are). */
export const labelOf = (key: string) => POLICY_FIELDS.find((field) => field.key === key)?.label ?? (key === 'expires_at' ? 'Expires' : key);
