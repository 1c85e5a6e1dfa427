import type { LicensePolicy } from '../../schema/plan/plan-policy.ts';
import type { LifecyclePolicy } from '../../workflows/license-state.ts';

/** The part of a license's effective policy its workflow needs. */
export function lifecyclePolicy(policy: LicensePolicy): LifecyclePolicy {
  return { expiryGraceDays: policy.expiryGraceDays, paymentGraceDays: policy.paymentGraceDays, reminderOffsetsDays: policy.reminderOffsetsDays };
}
