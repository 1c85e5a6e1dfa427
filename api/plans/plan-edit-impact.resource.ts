import type { PlanEditImpact } from '../../domain/plans/preview-plan-edit.ts';

/** What a plan edit would do, as `PATCH /v1/plans/{id}` with `dry_run` answers it. */
export function planEditImpactResource(impact: PlanEditImpact) {
  return {
    changes: impact.changes,
    licenses_on_plan: impact.licensesOnPlan,
    affected_licenses: impact.affectedLicenses,
    workflows_to_update: impact.workflowsToUpdate,
    term_end_moved: impact.termEndMoved,
    expiries_moved: impact.expiriesMoved,
    sample: impact.sample.map((license) => ({
      license_id: license.licenseId,
      key_hint: license.keyHint,
      status: license.status,
      customer_email: license.customerEmail,
      before: license.before,
      after: license.after,
    })),
  };
}
