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
