import Router from '@koa/router';
import { randomUUID } from 'node:crypto';
import { text } from '../../lib/text.ts';
import type { CustomerEntity } from '../../schema/customer/customer.entity.ts';
import { Customer, License } from '../../schema/entities.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseBody, parseWith } from '../http/body.ts';
import { withConstraintProblems } from '../http/db-errors.ts';
import { pageQuerySchema, paginate } from '../http/pagination.ts';
import { Problem } from '../http/problem.ts';
import { idParam, iso } from '../http/resources.ts';
import { customerColumns, customerCreateSchema, customerUpdateSchema } from '../../domain/customers/customer-input.ts';

export const customerListQuery = pageQuerySchema.extend({ email: text().max(320).optional() });

export function customerResource(customer: CustomerEntity) {
  return {
    id: customer.id,
    email: customer.email,
    name: customer.name ?? null,
    stripe_customer_id: customer.stripeCustomerId ?? null,
    hubspot_contact_id: customer.hubspotContactId ?? null,
    hubspot_company_id: customer.hubspotCompanyId ?? null,
    metadata: customer.metadata,
    created_at: iso(customer.createdAt),
    updated_at: iso(customer.updatedAt),
  };
}

const taken: ['CUSTOMER_CONFLICT', string] = ['CUSTOMER_CONFLICT', 'another customer already has this email or Stripe customer id'];

async function findCustomer(deps: ApiDependencies, id: string) {
  const em = deps.em.fork();
  const customer = await em.findOne(Customer, { id });
  if (!customer) throw new Problem('CUSTOMER_NOT_FOUND', `no customer with id ${id}`);
  return { em, customer };
}

/** Admin CRUD for customers. */
export function customerRoutes(deps: ApiDependencies): Router {
  const router = new Router({ prefix: '/v1/customers' });

  router.post('/', async (ctx) => {
    const input = await parseBody(ctx, customerCreateSchema);
    const em = deps.em.fork();
    const customer = em.create(Customer, { id: randomUUID(), metadata: {}, ...customerColumns(input) } as never) as CustomerEntity;
    await withConstraintProblems(() => em.flush(), { unique: taken });
    ctx.status = 201;
    ctx.set('Location', `/v1/customers/${customer.id}`);
    ctx.body = customerResource(customer);
  });
  router.get('/', async (ctx) => {
    const query = parseWith(customerListQuery, ctx.query);
    ctx.body = await paginate(deps.em, Customer, query.email ? { email: query.email.toLowerCase() } : {}, query, customerResource);
  });
  router.get('/:id', async (ctx) => {
    ctx.body = customerResource((await findCustomer(deps, parseWith(idParam, ctx.params.id))).customer);
  });
  router.patch('/:id', async (ctx) => {
    const { em, customer } = await findCustomer(deps, parseWith(idParam, ctx.params.id));
    em.assign(customer, customerColumns(await parseBody(ctx, customerUpdateSchema)));
    await withConstraintProblems(() => em.flush(), { unique: taken });
    ctx.body = customerResource(customer);
  });
  router.delete('/:id', async (ctx) => {
    const { em, customer } = await findCustomer(deps, parseWith(idParam, ctx.params.id));
    if (await em.count(License, { customer: customer.id })) throw new Problem('CUSTOMER_IN_USE', 'this customer holds licenses');
    await em.remove(customer).flush();
    ctx.status = 204;
  });
  return router;
}
