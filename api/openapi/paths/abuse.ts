import { listAbuseAlertsQuery } from '../../abuse/abuse-alert.resource.ts';
import { operation } from '../operation.ts';
import { AbuseAlert, AbuseAlertPage, AbusePolicy, AbusePolicyRequest, DismissAbuseAlertRequest } from '../schemas/abuse.ts';

const tag = 'abuse';

/** Abuse alerts and each plan's abuse policy (api/abuse/abuse.routes.ts). */
export const abusePaths = {
  '/v1/abuse-alerts': {
    get: operation({
      tag,
      operationId: 'listAbuseAlerts',
      summary: 'List abuse alerts',
      description: 'Alerts the abuse checks raised: filter by status, kind or license. Newest first, one page at a time.',
      scope: 'licenses:read',
      query: listAbuseAlertsQuery,
      responses: { 200: { description: 'One page.', schema: AbuseAlertPage } },
    }),
  },
  '/v1/abuse-alerts/{id}': {
    get: operation({
      tag,
      operationId: 'getAbuseAlert',
      summary: 'Get an abuse alert, with its evidence',
      scope: 'licenses:read',
      pathParams: { id: 'The alert id.' },
      responses: { 200: { description: 'The alert.', schema: AbuseAlert } },
      problems: ['ABUSE_ALERT_NOT_FOUND'],
    }),
  },
  '/v1/abuse-alerts/{id}/dismiss': {
    post: operation({
      tag,
      operationId: 'dismissAbuseAlert',
      summary: 'Dismiss an abuse alert',
      description: 'Marks the alert harmless, with a reason (audited). An action already taken is not undone. Findings of the same kind within its window keep merging into it.',
      scope: 'licenses:lifecycle',
      pathParams: { id: 'The alert id.' },
      body: { schema: DismissAbuseAlertRequest, required: true },
      responses: { 200: { description: 'The dismissed alert.', schema: AbuseAlert } },
      problems: ['ABUSE_ALERT_NOT_FOUND', 'ABUSE_ALERT_ALREADY_DISMISSED'],
    }),
  },
  '/v1/abuse-policies/{id}': {
    get: operation({
      tag,
      operationId: 'getPlanAbusePolicy',
      summary: 'Get a plan\'s abuse thresholds and action',
      scope: 'licenses:read',
      pathParams: { id: 'The plan id.' },
      responses: { 200: { description: 'The policy (defaults where the plan sets nothing).', schema: AbusePolicy } },
      problems: ['PLAN_NOT_FOUND'],
    }),
    put: operation({
      tag,
      operationId: 'setPlanAbusePolicy',
      summary: 'Replace a plan\'s abuse thresholds and action',
      description: 'Fields left out take the defaults. Audited (plan.abuse_policy_updated); the next abuse check uses it.',
      scope: 'catalog:write',
      pathParams: { id: 'The plan id.' },
      body: { schema: AbusePolicyRequest, required: true },
      responses: { 200: { description: 'The policy now in force.', schema: AbusePolicy } },
      problems: ['PLAN_NOT_FOUND'],
    }),
  },
};
