export { licenseWorkflow } from './license.workflow.ts';
export { reconcileLicensesWorkflow } from './reconcile-licenses.workflow.ts';
export { messageDeliveryWorkflow } from './message-delivery.workflow.ts';
export { stripeReconciliationWorkflow } from './stripe-reconciliation.workflow.ts';
export { bulkOperationWorkflow } from './bulk-operation.workflow.ts';
