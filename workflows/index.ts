export { licenseWorkflow } from './license.workflow.ts';
export { messageDeliveryWorkflow } from './message-delivery.workflow.ts';
