import { listLicensesQuery } from '../../licenses/list-licenses.ts';
import { locationHeader, operation } from '../operation.ts';
import { z } from 'zod';
import { CreatedLicense, CreateLicenseRequest, ForceDeactivateRequest, LicenseDetail, LicensePage, LicenseTermsPreview, RevokeLicenseRequest, UpdateLicenseRequest } from '../schemas/licenses.ts';
import { responseSchema } from '../registry.ts';

const tag = 'licenses';
const UpdateLicenseResponse = responseSchema('UpdateLicenseResponse', z.union([LicenseDetail, LicenseTermsPreview]), 'The license after the edit, or what would change (a dry run).');
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
    patch: operation({
      tag,
      operationId: 'updateLicense',
      summary: 'Edit a license\'s policy overrides and metadata (dry_run previews)',
      description:
        'Replaces the license\'s overrides and/or metadata, through its workflow (an update), which takes the new lifecycle terms (grace days, reminder offsets) at once and writes the row with its audit event. `dry_run` answers the changes and writes nothing; an edit that changes nothing writes nothing.',
      scope: 'licenses:write',
      pathParams: id,
      body: { schema: UpdateLicenseRequest, required: true },
      responses: { 200: { description: 'The license after the change, or what would change.', schema: UpdateLicenseResponse } },
      problems: ['LICENSE_NOT_FOUND', 'LICENSE_ALREADY_REVOKED', 'REASON_REQUIRED', 'LIFECYCLE_UNAVAILABLE'],
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
