import { z } from 'zod';
import { customerNoteRequest } from '../../customers/customer-note.routes.ts';
import { licenseSearchQuery } from '../../licenses/license-search.routes.ts';
import { requestSchema, responseSchema } from '../registry.ts';
import { LicenseStatus, page, timestamp, uuid } from './common.ts';
import { StripeEventResource } from './stripe.ts';

/** Mirrors licenseSearchHitResource() in api/licenses/license-search.routes.ts. */
export const LicenseSearchHit = responseSchema(
  'LicenseSearchHit',
  z.object({
    id: uuid,
    key_hint: z.string(),
    status: LicenseStatus,
    status_reason: z.string().nullable(),
    product: z.object({ code: z.string(), name: z.string() }),
    plan: z.object({ id: uuid, code: z.string(), name: z.string(), tier: z.string() }),
    customer: z.object({ id: uuid, email: z.string(), name: z.string().nullable() }).nullable(),
    expires_at: timestamp.nullable(),
    trial_ends_at: timestamp.nullable(),
    created_at: timestamp,
    matched: z
      .enum(['key', 'license_id', 'customer_id', 'stripe_customer', 'stripe_subscription', 'stripe_checkout_session', 'stripe_payment_intent', 'key_hint', 'email', 'name'])
      .nullable()
      .describe('What the query matched; null without a query.'),
  }),
  'A license found by the search, with its product, plan and customer.',
);
export const LicenseSearchPage = page('LicenseSearchPage', LicenseSearchHit);

export const LicenseStripeEvents = responseSchema(
  'LicenseStripeEvents',
  z.object({ data: z.array(StripeEventResource) }),
  'The Stripe events about the license (tied to it, or about its subscription or payment), newest first, up to 200.',
);

export const LicenseWorkflow = responseSchema(
  'LicenseWorkflow',
  z.object({
    workflow_id: z.string(),
    namespace: z.string(),
    ui_url: z.url().nullable().describe('The workflow in the Temporal Web UI (TEMPORAL_UI_URL, or the dev server\'s UI); null when no UI address is known.'),
    execution: z
      .object({
        run_id: z.string(),
        status: z.string().describe('RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, CONTINUED_AS_NEW, TIMED_OUT.'),
        started_at: timestamp,
        closed_at: timestamp.nullable(),
        history_length: z.number().int().min(0),
      })
      .nullable()
      .describe('The latest run; null when the workflow does not exist (drift repair starts it again).'),
  }),
  'The Temporal workflow that owns the license\'s lifecycle, and where to read it.',
);

export const CustomerNote = responseSchema(
  'CustomerNote',
  z.object({ id: uuid, author: z.string().describe('`staff:<email>`, `admin:<token name>`.'), body: z.string(), created_at: timestamp }),
  'A staff note on a customer\'s account. Notes are added, never edited, and never shown to the customer.',
);
export const CustomerNoteList = responseSchema('CustomerNoteList', z.object({ data: z.array(CustomerNote) }), 'The account\'s notes, newest first, up to 200.');
export const CreateCustomerNoteRequest = requestSchema('CreateCustomerNoteRequest', customerNoteRequest, 'The note\'s text (up to 5,000 characters).');

export const LicenseSearchRequest = requestSchema(
  'LicenseSearchRequest',
  licenseSearchQuery,
  'The search\'s query and filters in a body: for a query that holds a whole license key, which must not travel in a URL.',
);
