import { z } from 'zod';
import { customerCreateSchema } from '../../customers/customer.routes.ts';
import { idParam } from '../../http/resources.ts';
import { policyFields, policyOverridesSchema } from '../../plans/policy.schema.ts';
import { requestSchema, responseSchema } from '../registry.ts';
import { metadata, page, timestamp, uuid } from './common.ts';

// Requests. The product, plan and customer routes keep these schemas private, so they are
// restated here field for field (api/products/product.routes.ts, api/plans/plan.routes.ts,
// api/customers/customer.routes.ts); the test sends real requests through both.
const code = z.string().trim().min(1).max(100).regex(/^[a-z0-9][a-z0-9._-]*$/).describe('Lower-case letters, digits, dots, dashes and underscores; unique (per product for plans).');
const name = z.string().trim().min(1).max(200);
const tier = z.string().trim().min(1).max(100);
const stripePriceIds = z.array(z.string().regex(/^price_[A-Za-z0-9]+$/)).max(50).describe('Stripe prices that sell this plan.');

export const CreateProductRequest = requestSchema('CreateProductRequest', z.object({ code, name, metadata: metadata.default({}) }).strict());
export const UpdateProductRequest = requestSchema('UpdateProductRequest', z.object({ name, metadata }).partial().strict(), 'Only the fields sent change; the code is permanent.');

export const CreatePlanRequest = requestSchema(
  'CreatePlanRequest',
  policyOverridesSchema.extend({ product_id: idParam, code, name, tier, stripe_price_ids: stripePriceIds.default([]) }).strict(),
  'A plan of a product, with its policy: fields left out take the defaults.',
);
export const UpdatePlanRequest = requestSchema(
  'UpdatePlanRequest',
  policyOverridesSchema.extend({ name, tier, stripe_price_ids: stripePriceIds }).partial().strict(),
  'Only the fields sent change; licenses on the plan see the new policy (unless they override it).',
);
export const planListQuery = z.object({ product_id: idParam.optional() });

export const CreateCustomerRequest = requestSchema('CreateCustomerRequest', customerCreateSchema, 'A customer; the email is stored in lower case.');
export const UpdateCustomerRequest = requestSchema('UpdateCustomerRequest', customerCreateSchema.partial(), 'Only the fields sent change.');
export const customerListQuery = z.object({ email: z.string().max(320).optional() });

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
