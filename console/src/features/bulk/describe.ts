import type { BulkOperationSpec } from './api';

/** The operations, as the form offers them and the pages name them. */
export const OPERATION_LABELS: Record<BulkOperationSpec['type'], string> = {
  extend_expiry: 'Extend expiry by days',
  extend_expiry_to: 'Extend expiry to a date',
  change_plan: 'Change plan',
  set_seat_limit: 'Set the seat limit',
  add_feature: 'Add a feature',
  remove_feature: 'Remove a feature',
  suspend: 'Suspend',
  reinstate: 'Reinstate',
  revoke: 'Revoke',
};

/** One line saying what an operation does: "Extend expiry by 30 days". */
export function describeOperation(operation: BulkOperationSpec, planName?: (id: string) => string | undefined): string {
  switch (operation.type) {
    case 'extend_expiry':
      return `Extend expiry by ${operation.days} day${operation.days === 1 ? '' : 's'}`;
    case 'extend_expiry_to':
      return `Extend expiry to ${operation.until.slice(0, 10)}`;
    case 'change_plan':
      return `Change plan to ${planName?.(operation.plan_id) ?? 'another plan'}`;
    case 'set_seat_limit':
      return `Set the seat limit to ${operation.seat_limit}`;
    case 'add_feature':
      return `Add feature ${operation.feature}`;
    case 'remove_feature':
      return `Remove feature ${operation.feature}`;
    default:
      return OPERATION_LABELS[operation.type];
  }
}

const date = (value: unknown) => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? value.slice(0, 10) : value);

/** A change's fields as staff read them: "expires 2026-09-01", "plan pro", "features export, sso". */
export function describeFields(fields: Record<string, unknown> | null | undefined): string {
  if (!fields) return '—';
  const parts = Object.entries(fields)
    .filter(([name]) => name !== 'plan_id')
    .map(([name, value]) => {
      if (name === 'features') {
        const on = Object.entries((value ?? {}) as Record<string, unknown>).map(([feature, v]) => (v === true ? feature : `${feature}: ${String(v)}`));
        return `features ${on.length ? on.join(', ') : 'none'}`;
      }
      if (name === 'expires_at') return value ? `expires ${date(value)}` : 'never expires';
      if (name === 'trial_ends_at') return `trial ends ${date(value)}`;
      if (name === 'seat_limit') return value === null ? 'unlimited seats' : `${value} seats`;
      return `${name.replace(/_/g, ' ')} ${String(value).toLowerCase()}`;
    });
  return parts.join('; ') || '—';
}
