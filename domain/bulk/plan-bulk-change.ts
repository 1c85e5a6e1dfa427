import { effectivePolicy, type Features, type LicensePolicy } from '../../schema/plan/plan-policy.ts';
import type { BulkOperationSpec } from './bulk-operation-input.ts';
import type { SelectedLicense } from './select-bulk-licenses.ts';

const DAY_MS = 86_400_000;

/** The fields a change touches, as the preview and the report show them (snake_case, ISO dates). */
export type ChangeFields = Record<string, string | number | boolean | null | Features>;

export type PlannedChange =
  | { kind: 'change'; before: ChangeFields; after: ChangeFields }
  | { kind: 'skip'; before: ChangeFields; code: string; detail: string };

/** What planning needs besides the license: the target plan of a plan change, and the time. */
export interface PlanningContext {
  now: Date;
  targetPlan?: { id: string; code: string; productId: string };
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);
const skip = (before: ChangeFields, code: string, detail: string): PlannedChange => ({ kind: 'skip', before, code, detail });
const sorted = (features: Features): Features => Object.fromEntries(Object.entries(features).sort(([a], [b]) => a.localeCompare(b)));

/** The license's effective seat limit and features: its plan's with its own overrides on top. */
function effective(license: SelectedLicense): Pick<LicensePolicy, 'seatLimit' | 'features'> {
  const { seatLimit, features } = effectivePolicy({ seatLimit: license.planSeatLimit, features: license.planFeatures } as LicensePolicy, license.overrides);
  return { seatLimit: seatLimit ?? null, features: features ?? {} };
}

/** An expiry moved: a trial's end for a trial that has no expiry yet, else the expiry. */
function extension(license: SelectedLicense, target: (current: Date) => Date, context: PlanningContext): PlannedChange {
  const trial = license.status === 'TRIALING' && !license.expiresAt && license.trialEndsAt;
  const field = trial ? 'trial_ends_at' : 'expires_at';
  const current = trial ? license.trialEndsAt : license.expiresAt;
  const before = { [field]: iso(current) };
  if (license.status === 'EXPIRED') return skip(before, 'LICENSE_EXPIRED', 'the license has expired: renew it instead');
  if (!current) return skip(before, 'PERPETUAL', 'the license never expires');
  const next = target(current);
  if (next.getTime() <= current.getTime()) return skip(before, 'NOT_LATER', `it already runs until ${current.toISOString().slice(0, 10)}`);
  if (next.getTime() <= context.now.getTime()) return skip(before, 'INVALID_DATE', 'the new date is in the past');
  return { kind: 'change', before, after: { [field]: next.toISOString() } };
}

/**
 * What one operation would do to one license, decided from its row: the fields before and
 * after, or why it is skipped. The rules are the workflow's own (a revoked license changes no
 * more, only a suspended one is reinstated…), so the preview says what the run will do; the
 * workflow still decides, and a license that changed in between is reported as it refused.
 */
export function planBulkChange(license: SelectedLicense, operation: BulkOperationSpec, context: PlanningContext): PlannedChange {
  const status = { status: license.status };
  if (license.status === 'REVOKED') return skip(operation.type === 'change_plan' ? { plan: license.planCode } : status, 'LICENSE_ALREADY_REVOKED', 'the license is revoked: nothing can change it');
  switch (operation.type) {
    case 'change_plan': {
      const target = context.targetPlan!;
      const before = { plan: license.planCode };
      if (target.productId !== license.productId) return skip(before, 'OTHER_PRODUCT', `plan ${target.code} belongs to another product`);
      if (target.id === license.planId) return skip(before, 'SAME_PLAN', `the license is already on plan ${target.code}`);
      return { kind: 'change', before, after: { plan: target.code, plan_id: target.id } };
    }
    case 'extend_expiry':
      return extension(license, (current) => new Date(current.getTime() + operation.days * DAY_MS), context);
    case 'extend_expiry_to':
      return extension(license, () => new Date(operation.until), context);
    case 'set_seat_limit': {
      const before = { seat_limit: effective(license).seatLimit };
      if (before.seat_limit === operation.seat_limit) return skip(before, 'UNCHANGED', `the seat limit is already ${operation.seat_limit}`);
      return { kind: 'change', before, after: { seat_limit: operation.seat_limit } };
    }
    case 'add_feature':
    case 'remove_feature': {
      const { features } = effective(license);
      const has = Boolean(features[operation.feature]);
      const before = { features: sorted(features) };
      if (operation.type === 'add_feature' && has) return skip(before, 'UNCHANGED', `the license already has ${operation.feature}`);
      if (operation.type === 'remove_feature' && !(operation.feature in features)) return skip(before, 'UNCHANGED', `the license does not have ${operation.feature}`);
      const { [operation.feature]: _removed, ...rest } = features;
      return { kind: 'change', before, after: { features: sorted(operation.type === 'add_feature' ? { ...features, [operation.feature]: true } : rest) } };
    }
    case 'suspend':
      if (license.status === 'SUSPENDED') return skip(status, 'ALREADY_SUSPENDED', 'the license is already suspended');
      if (license.status === 'EXPIRED') return skip(status, 'LICENSE_EXPIRED', 'an expired license cannot be suspended');
      return { kind: 'change', before: status, after: { status: 'SUSPENDED' } };
    case 'reinstate': {
      if (license.status !== 'SUSPENDED') return skip(status, 'NOT_SUSPENDED', `only a suspended license can be reinstated; this one is ${license.status}`);
      const trial = license.trialEndsAt && !license.expiresAt && license.trialEndsAt.getTime() > context.now.getTime();
      return { kind: 'change', before: status, after: { status: trial ? 'TRIALING' : 'ACTIVE' } };
    }
    case 'revoke':
      return { kind: 'change', before: status, after: { status: 'REVOKED' } };
  }
}
