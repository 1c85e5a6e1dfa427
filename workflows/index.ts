export { licenseWorkflow } from './license.workflow.ts';
