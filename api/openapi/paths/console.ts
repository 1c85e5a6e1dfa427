import { licenseSearchQuery } from '../../licenses/license-search.routes.ts';
import { operation } from '../operation.ts';
import { CreateCustomerNoteRequest, CustomerNote, CustomerNoteList, LicenseSearchPage, LicenseSearchRequest, LicenseStripeEvents, LicenseWorkflow } from '../schemas/console.ts';

const id = { id: 'The license id.' };

/** What the admin console reads beside the CRUD endpoints: search, a license's Stripe events and workflow, account notes. */
export const consolePaths = {
  '/v1/licenses/search': {
    get: operation({
      tag: 'licenses',
      operationId: 'searchLicenses',
      summary: 'Search licenses',
      description:
        'One query (`q`) that finds a license by its customer\'s e-mail or name, its whole key (looked up by its keyed hash: the key is never stored or logged), its key hint, its id or its customer\'s, or a Stripe id; with filters by status, product, plan, tier and expiry window. Newest first, one page at a time. Every condition is answered from an index.',
      scope: 'licenses:read',
      query: licenseSearchQuery,
      responses: { 200: { description: 'One page of matches.', schema: LicenseSearchPage } },
    }),
    post: operation({
      tag: 'licenses',
      operationId: 'searchLicensesByBody',
      summary: 'Search licenses (query in the body)',
      description: 'The same search as GET, with its fields in a JSON body: use it when the query is a whole license key, so the key never travels in a URL (proxy logs, browser history). It changes nothing.',
      scope: 'licenses:read',
      body: { schema: LicenseSearchRequest, required: true },
      responses: { 200: { description: 'One page of matches.', schema: LicenseSearchPage } },
    }),
  },
  '/v1/licenses/{id}/stripe-events': {
    get: operation({
      tag: 'licenses',
      operationId: 'listLicenseStripeEvents',
      summary: 'The Stripe events about a license',
      scope: 'licenses:read',
      pathParams: id,
      responses: { 200: { description: 'Newest first.', schema: LicenseStripeEvents } },
      problems: ['LICENSE_NOT_FOUND'],
    }),
  },
  '/v1/licenses/{id}/workflow': {
    get: operation({
      tag: 'licenses',
      operationId: 'getLicenseWorkflow',
      summary: 'The license\'s workflow in Temporal, and its Web UI link',
      scope: 'licenses:read',
      pathParams: id,
      responses: { 200: { description: 'The workflow.', schema: LicenseWorkflow } },
      problems: ['LICENSE_NOT_FOUND', 'LIFECYCLE_UNAVAILABLE'],
    }),
  },
  '/v1/customers/{id}/notes': {
    get: operation({
      tag: 'customers',
      operationId: 'listCustomerNotes',
      summary: 'Staff notes on a customer\'s account',
      scope: 'licenses:read',
      pathParams: { id: 'The customer id.' },
      responses: { 200: { description: 'Newest first.', schema: CustomerNoteList } },
      problems: ['CUSTOMER_NOT_FOUND'],
    }),
    post: operation({
      tag: 'customers',
      operationId: 'addCustomerNote',
      summary: 'Add a note to a customer\'s account',
      scope: 'customers:notes',
      pathParams: { id: 'The customer id.' },
      body: { schema: CreateCustomerNoteRequest, required: true },
      responses: { 201: { description: 'The note.', schema: CustomerNote } },
      problems: ['CUSTOMER_NOT_FOUND'],
    }),
  },
};
