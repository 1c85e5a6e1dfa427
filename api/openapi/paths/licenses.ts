import { listLicensesQuery } from '../../licenses/list-licenses.ts';
import { locationHeader, operation } from '../operation.ts';
import { CreatedLicense, CreateLicenseRequest, ForceDeactivateRequest, LicenseDetail, LicensePage, RevokeLicenseRequest } from '../schemas/licenses.ts';

const tag = 'licenses';
const id = { id: 'The license id.' };

/** Admin endpoints for licenses (api/licenses/license.routes.ts). */
export const licensePaths = {
  '/v1/licenses': {
    post: operation({
      tag,
      operationId: 'createLicense',
      summary: 'Create a license',
      description: 'Creates the license and starts its lifecycle workflow. The response carries the key: the only time it is shown.',
      scope: 'licenses:write',
      body: { schema: CreateLicenseRequest, required: true },
      responses: { 201: { description: 'Created.', schema: CreatedLicense, headers: locationHeader } },
      problems: ['PLAN_NOT_FOUND', 'CUSTOMER_NOT_FOUND', 'LIFECYCLE_UNAVAILABLE'],
    }),
    get: operation({
      tag,
      operationId: 'listLicenses',
      summary: 'List licenses',
      description: 'Filter by customer email, status, plan, key hint or a whole key. Newest first, one page at a time.',
      scope: 'licenses:read',
      query: listLicensesQuery,
      responses: { 200: { description: 'One page.', schema: LicensePage } },
    }),
  },
  '/v1/licenses/{id}': {
    get: operation({
      tag,
      operationId: 'getLicense',
      summary: 'Get a license with its activations and audit trail',
      scope: 'licenses:read',
      pathParams: id,
      responses: { 200: { description: 'The license.', schema: LicenseDetail } },
      problems: ['LICENSE_NOT_FOUND'],
    }),
  },
  '/v1/licenses/{id}/revoke': {
    post: operation({
      tag,
      operationId: 'revokeLicense',
      summary: 'Revoke a license (permanent)',
      description: 'Goes through the license\'s workflow, which writes Postgres before answering.',
      scope: 'licenses:write',
      pathParams: id,
      body: { schema: RevokeLicenseRequest, required: true },
      responses: { 200: { description: 'The revoked license.', schema: LicenseDetail } },
      problems: ['LICENSE_NOT_FOUND', 'LICENSE_ALREADY_REVOKED', 'REASON_REQUIRED', 'LIFECYCLE_UNAVAILABLE'],
    }),
  },
  '/v1/licenses/{id}/activations/{activationId}/deactivate': {
    post: operation({
      tag,
      operationId: 'forceDeactivate',
      summary: 'Free a seat (admin)',
      description: 'Regardless of the self-service cap; the activation stays in the history. Deactivating one already inactive changes nothing.',
      scope: 'licenses:write',
      pathParams: { ...id, activationId: 'The activation id.' },
      body: { schema: ForceDeactivateRequest, required: false },
      responses: { 200: { description: 'The license after the change.', schema: LicenseDetail } },
      problems: ['LICENSE_NOT_FOUND', 'ACTIVATION_NOT_FOUND'],
    }),
  },
};
