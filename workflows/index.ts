export { licenseWorkflow } from './license.workflow.ts';
export { reconcileLicensesWorkflow } from './reconcile-licenses.workflow.ts';
export { messageDeliveryWorkflow } from './message-delivery.workflow.ts';
export { stripeReconciliationWorkflow } from './stripe-reconciliation.workflow.ts';
export { planPolicyRolloutWorkflow } from './plan-policy-rollout.workflow.ts';
export { usageMaintenanceWorkflow } from './usage-maintenance.workflow.ts';
export { abuseChecksWorkflow } from './abuse-checks.workflow.ts';
export { seatSnapshotWorkflow } from './seat-snapshot.workflow.ts';
