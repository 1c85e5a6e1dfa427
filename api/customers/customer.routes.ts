import Router from '@koa/router';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { text } from '../../lib/text.ts';
import type { CustomerEntity } from '../../schema/customer/customer.entity.ts';
import { Customer, License } from '../../schema/entities.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseBody, parseWith } from '../http/body.ts';
import { withConstraintProblems } from '../http/db-errors.ts';
import { pageQuerySchema, paginate } from '../http/pagination.ts';
import { Problem } from '../http/problem.ts';
import { auditView, idParam, iso } from '../http/resources.ts';
import { auditedWrite, changedFields } from '../../domain/audit/audited-write.ts';
import { principalOf } from '../auth/principal.ts';
import { actingOf } from '../staff/acting.ts';
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

async function findCustomer(em: EntityManager, id: string) {
  const customer = await em.findOne(Customer, { id });
  if (!customer) throw new Problem('CUSTOMER_NOT_FOUND', `no customer with id ${id}`);
  return customer;
}

const target = (id: string) => ({ type: 'customer', id });

/** Admin CRUD for customers. */
export function customerRoutes(deps: ApiDependencies): Router {
  const router = new Router({ prefix: '/v1/customers' });

  // Every write is audited with its change, in the write's transaction.
  router.post('/', async (ctx) => {
    const input = await parseBody(ctx, customerCreateSchema);
    const customer = await withConstraintProblems(
      () =>
        auditedWrite(deps.em, actingOf(principalOf(ctx)), async (tx) => {
          const created = tx.create(Customer, { id: randomUUID(), metadata: {}, ...customerColumns(input) } as never) as CustomerEntity;
          await tx.flush();
          return { result: created, event: { action: 'customer.created', target: target(created.id), after: auditView(customerResource(created)) } };
        }),
      { unique: taken },
    );
    ctx.status = 201;
    ctx.set('Location', `/v1/customers/${customer.id}`);
    ctx.body = customerResource(customer);
  });
  router.get('/', async (ctx) => {
    const query = parseWith(customerListQuery, ctx.query);
    ctx.body = await paginate(deps.em, Customer, query.email ? { email: query.email.toLowerCase() } : {}, query, customerResource);
  });
  router.get('/:id', async (ctx) => {
    ctx.body = customerResource(await findCustomer(deps.em.fork(), parseWith(idParam, ctx.params.id)));
  });
  router.patch('/:id', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const input = await parseBody(ctx, customerUpdateSchema);
    ctx.body = await withConstraintProblems(
      () =>
        auditedWrite(deps.em, actingOf(principalOf(ctx)), async (tx) => {
          const customer = await findCustomer(tx, id);
          const before = auditView(customerResource(customer));
          tx.assign(customer, customerColumns(input));
          await tx.flush();
          const change = changedFields(before, auditView(customerResource(customer)));
          return { result: customerResource(customer), event: change && { action: 'customer.updated', target: target(id), ...change } };
        }),
      { unique: taken },
    );
  });
  router.delete('/:id', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    await auditedWrite(deps.em, actingOf(principalOf(ctx)), async (tx) => {
      const customer = await findCustomer(tx, id);
      if (await tx.count(License, { customer: customer.id })) throw new Problem('CUSTOMER_IN_USE', 'this customer holds licenses');
      const before = auditView(customerResource(customer));
      await tx.remove(customer).flush();
      return { result: null, event: { action: 'customer.deleted', target: target(id), before } };
    });
    ctx.status = 204;
  });
  return router;
}
