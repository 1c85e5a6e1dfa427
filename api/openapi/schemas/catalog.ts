import { z } from 'zod';
import { customerCreateSchema, customerUpdateSchema } from '../../../domain/customers/customer-input.ts';
import { customerListQuery } from '../../customers/customer.routes.ts';
import { planCreateSchema, planListQuery, planUpdateSchema } from '../../plans/plan.routes.ts';
import { productCreateSchema, productUpdateSchema } from '../../products/product.routes.ts';
import { policyFields } from '../../../domain/plans/policy.schema.ts';
import { requestSchema, responseSchema } from '../registry.ts';
import { metadata, page, timestamp, uuid } from './common.ts';

// Requests: the routes' own schemas, so the document cannot drift from what the API accepts.
export const CreateProductRequest = requestSchema('CreateProductRequest', productCreateSchema);
export const UpdateProductRequest = requestSchema('UpdateProductRequest', productUpdateSchema, 'Only the fields sent change; the code is permanent.');
export const CreatePlanRequest = requestSchema('CreatePlanRequest', planCreateSchema, 'A plan of a product, with its policy: fields left out take the defaults.');
export const UpdatePlanRequest = requestSchema(
  'UpdatePlanRequest',
  planUpdateSchema,
  'Only the fields sent change; licenses on the plan see the new policy (unless they override it).',
);
export { planListQuery };

export const CreateCustomerRequest = requestSchema('CreateCustomerRequest', customerCreateSchema, 'A customer; the email is stored in lower case.');
export const UpdateCustomerRequest = requestSchema('UpdateCustomerRequest', customerUpdateSchema, 'Only the fields sent change.');
export { customerListQuery };

// Responses.

/** Mirrors productResource() in api/products/product.routes.ts. */
export const Product = responseSchema(
  'Product',
  z.object({ id: uuid, code: z.string(), name: z.string(), metadata, created_at: timestamp, updated_at: timestamp }),
);
export const ProductPage = page('ProductPage', Product);

/** Mirrors planResource() in api/plans/plan.routes.ts: the policy fields sit at the top level. */
export const Plan = responseSchema(
  'Plan',
  z.object({
    id: uuid,
    product_id: uuid,
    code: z.string(),
    name: z.string(),
    tier: z.string(),
    ...policyFields,
    stripe_price_ids: z.array(z.string()),
    created_at: timestamp,
    updated_at: timestamp,
  }),
  'A plan and the policy its licenses inherit.',
);
export const PlanPage = page('PlanPage', Plan);

/** Mirrors customerResource() in api/customers/customer.routes.ts. */
export const Customer = responseSchema(
  'Customer',
  z.object({
    id: uuid,
    email: z.string(),
    name: z.string().nullable(),
    stripe_customer_id: z.string().nullable(),
    hubspot_contact_id: z.string().nullable(),
    hubspot_company_id: z.string().nullable(),
    metadata,
    created_at: timestamp,
    updated_at: timestamp,
  }),
);
export const CustomerPage = page('CustomerPage', Customer);

/** Mirrors planEditImpactResource() in api/plans/plan-edit-impact.resource.ts. */
const fieldChanges = z.object({ before: z.record(z.string(), z.unknown()), after: z.record(z.string(), z.unknown()) });
export const PlanEditPreview = responseSchema(
  'PlanEditPreview',
  z.object({
    dry_run: z.literal(true),
    plan: Plan,
    impact: z.object({
      changes: fieldChanges.describe("The plan's fields that change (snake_case), before and after; empty when nothing does."),
      licenses_on_plan: z.number().int().describe('Licenses on the plan that are not revoked.'),
      affected_licenses: z.number().int().describe('Of those, the ones whose effective policy changes (their overrides do not set every changed field).'),
      workflows_to_update: z.number().int().describe('Of those, the ones whose running workflow gets the new lifecycle policy (grace days, reminder offsets, fixed term end).'),
      term_end_moved: z.object({ from: timestamp, to: timestamp }).nullable().describe("Set when a FIXED_END plan's term end moves."),
      expiries_moved: z.number().int().describe('Active, past-due and suspended licenses ending on the old fixed term end: they end on the new one.'),
      sample: z
        .array(fieldChanges.extend({ license_id: uuid, key_hint: z.string(), status: z.string(), customer_email: z.string().nullable() }))
        .describe('Up to 10 affected licenses, each with its effective policy fields (and expiry) before and after.'),
    }),
  }),
  'What a plan edit would do: the plan as it would be, and the licenses it reaches.',
);
export const UpdatePlanResponse = responseSchema('UpdatePlanResponse', z.union([Plan, PlanEditPreview]), 'The plan after the edit, or the preview for a dry run.');
