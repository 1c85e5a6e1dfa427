import type { z } from 'zod';
import type { ProblemCode } from '../../http/problem.ts';
import { pageQuerySchema } from '../../http/pagination.ts';
import { locationHeader, operation } from '../operation.ts';
import {
  CreateCustomerRequest, CreatePlanRequest, CreateProductRequest, Customer, customerListQuery, CustomerPage, Plan, planListQuery, PlanPage, Product,
  ProductPage, UpdateCustomerRequest, UpdatePlanRequest, UpdatePlanResponse, UpdateProductRequest,
} from '../schemas/catalog.ts';

interface Crud {
  base: string;
  tag: string;
  /** Singular, capitalised: Product. */
  noun: string;
  resource: z.ZodType;
  page: z.ZodType;
  create: z.ZodType;
  update: z.ZodType;
  /** What an update answers, when not the resource (a dry run's preview). */
  updateResponse?: z.ZodType;
  listQuery: z.ZodObject;
  notFound: ProblemCode;
  problems: { create: ProblemCode[]; update: ProblemCode[]; remove: ProblemCode[] };
  descriptions?: { remove?: string; update?: string };
}

/** The five admin routes every catalog resource has: create, list, get, update, delete. */
function crudPaths(spec: Crud) {
  const { tag, noun, resource } = spec;
  const read = 'licenses:read' as const;
  const write = 'licenses:write' as const;
  const id = { id: `The ${noun.toLowerCase()} id.` };
  return {
    [spec.base]: {
      post: operation({
        tag, operationId: `create${noun}`, summary: `Create a ${noun.toLowerCase()}`, scope: write,
        body: { schema: spec.create, required: true },
        responses: { 201: { description: 'Created.', schema: resource, headers: locationHeader } },
        problems: spec.problems.create,
      }),
      get: operation({
        tag, operationId: `list${noun}s`, summary: `List ${noun.toLowerCase()}s`, scope: read, query: spec.listQuery,
        responses: { 200: { description: 'One page.', schema: spec.page } },
      }),
    },
    [`${spec.base}/{id}`]: {
      get: operation({
        tag, operationId: `get${noun}`, summary: `Get a ${noun.toLowerCase()}`, scope: read, pathParams: id,
        responses: { 200: { description: `The ${noun.toLowerCase()}.`, schema: resource } },
        problems: [spec.notFound],
      }),
      patch: operation({
        tag, operationId: `update${noun}`, summary: `Update a ${noun.toLowerCase()}`, scope: write, pathParams: id,
        ...(spec.descriptions?.update ? { description: spec.descriptions.update } : {}),
        body: { schema: spec.update, required: false },
        responses: { 200: { description: `The updated ${noun.toLowerCase()}.`, schema: spec.updateResponse ?? resource } },
        problems: [spec.notFound, ...spec.problems.update],
      }),
      delete: operation({
        tag, operationId: `delete${noun}`, summary: `Delete a ${noun.toLowerCase()}`, scope: write, pathParams: id,
        ...(spec.descriptions?.remove ? { description: spec.descriptions.remove } : {}),
        responses: { 204: { description: 'Deleted.' } },
        problems: [spec.notFound, ...spec.problems.remove],
      }),
    },
  };
}

/** Admin CRUD for products, plans and customers. */
export const catalogPaths = {
  ...crudPaths({
    base: '/v1/products', tag: 'products', noun: 'Product', resource: Product, page: ProductPage,
    create: CreateProductRequest, update: UpdateProductRequest, listQuery: pageQuerySchema, notFound: 'PRODUCT_NOT_FOUND',
    problems: { create: ['PRODUCT_CODE_TAKEN'], update: [], remove: ['PRODUCT_IN_USE'] },
    descriptions: { remove: 'Only a product without plans can be deleted.' },
  }),
  ...crudPaths({
    base: '/v1/plans', tag: 'plans', noun: 'Plan', resource: Plan, page: PlanPage,
    create: CreatePlanRequest, update: UpdatePlanRequest, updateResponse: UpdatePlanResponse, listQuery: pageQuerySchema.extend(planListQuery.shape), notFound: 'PLAN_NOT_FOUND',
    problems: { create: ['PRODUCT_NOT_FOUND', 'PLAN_CODE_TAKEN'], update: ['LIFECYCLE_UNAVAILABLE'], remove: ['PLAN_IN_USE'] },
    descriptions: {
      remove: 'Only a plan without licenses can be deleted.',
      update:
        'With `dry_run`, answers what the edit would do (the plan as it would be, the licenses it reaches, a sample before and after) and changes nothing. ' +
        'A real edit is audited (`plan.updated`, the changed fields before and after, the `reason`), and one that changes grace days, reminder offsets or a fixed term end ' +
        'hands the new policy to the running workflow of every license on the plan (a paced rollout): their next reminders and deadlines follow it.',
    },
  }),
  ...crudPaths({
    base: '/v1/customers', tag: 'customers', noun: 'Customer', resource: Customer, page: CustomerPage,
    create: CreateCustomerRequest, update: UpdateCustomerRequest, listQuery: pageQuerySchema.extend(customerListQuery.shape), notFound: 'CUSTOMER_NOT_FOUND',
    problems: { create: ['CUSTOMER_CONFLICT'], update: ['CUSTOMER_CONFLICT'], remove: ['CUSTOMER_IN_USE'] },
    descriptions: { remove: 'Only a customer without licenses can be deleted.' },
  }),
};
