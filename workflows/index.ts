export { licenseWorkflow } from './license.workflow.ts';
export { stripeReconciliationWorkflow } from './stripe-reconciliation.workflow.ts';
