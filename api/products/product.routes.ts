import Router from '@koa/router';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { jsonObject, text } from '../../lib/text.ts';
import { Plan, Product } from '../../schema/entities.ts';
import type { ProductEntity } from '../../schema/product/product.entity.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseBody, parseWith } from '../http/body.ts';
import { withConstraintProblems } from '../http/db-errors.ts';
import { pageQuerySchema, paginate } from '../http/pagination.ts';
import { Problem } from '../http/problem.ts';
import { auditView, idParam, iso } from '../http/resources.ts';
import { auditedWrite, changedFields } from '../../domain/audit/audited-write.ts';
import { principalOf } from '../auth/principal.ts';
import { actingOf } from '../staff/acting.ts';

const code = text().trim().min(1).max(100).regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, dots, dashes and underscores');
export const productCreateSchema = z.object({ code, name: text().trim().min(1).max(200), metadata: jsonObject().default({}) }).strict();
export const productUpdateSchema = z.object({ name: text().trim().min(1).max(200), metadata: jsonObject() }).partial().strict();

export function productResource(product: ProductEntity) {
  return { id: product.id, code: product.code, name: product.name, metadata: product.metadata, created_at: iso(product.createdAt), updated_at: iso(product.updatedAt) };
}

async function findProduct(em: EntityManager, id: string) {
  const product = await em.findOne(Product, { id });
  if (!product) throw new Problem('PRODUCT_NOT_FOUND', `no product with id ${id}`);
  return product;
}

const target = (id: string) => ({ type: 'product', id });

/** Admin CRUD for products. */
export function productRoutes(deps: ApiDependencies): Router {
  const router = new Router({ prefix: '/v1/products' });
  const taken = (c: string): ['PRODUCT_CODE_TAKEN', string] => ['PRODUCT_CODE_TAKEN', `a product with code "${c}" already exists`];

  // Every write is audited with its change, in the write's transaction.
  router.post('/', async (ctx) => {
    const input = await parseBody(ctx, productCreateSchema);
    const product = await withConstraintProblems(
      () =>
        auditedWrite(deps.em, actingOf(principalOf(ctx)), async (tx) => {
          const created = tx.create(Product, { id: randomUUID(), ...input });
          await tx.flush();
          return { result: created, event: { action: 'product.created', target: target(created.id), after: auditView(productResource(created)) } };
        }),
      { unique: taken(input.code) },
    );
    ctx.status = 201;
    ctx.set('Location', `/v1/products/${product.id}`);
    ctx.body = productResource(product);
  });
  router.get('/', async (ctx) => {
    ctx.body = await paginate(deps.em, Product, {}, parseWith(pageQuerySchema, ctx.query), productResource);
  });
  router.get('/:id', async (ctx) => {
    ctx.body = productResource(await findProduct(deps.em.fork(), parseWith(idParam, ctx.params.id)));
  });
  router.patch('/:id', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const input = await parseBody(ctx, productUpdateSchema);
    ctx.body = await auditedWrite(deps.em, actingOf(principalOf(ctx)), async (tx) => {
      const product = await findProduct(tx, id);
      const before = auditView(productResource(product));
      tx.assign(product, input);
      await tx.flush();
      const change = changedFields(before, auditView(productResource(product)));
      return { result: productResource(product), event: change && { action: 'product.updated', target: target(id), ...change } };
    });
  });
  router.delete('/:id', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    await auditedWrite(deps.em, actingOf(principalOf(ctx)), async (tx) => {
      const product = await findProduct(tx, id);
      if (await tx.count(Plan, { product: product.id })) throw new Problem('PRODUCT_IN_USE', 'this product still has plans; delete them first');
      const before = auditView(productResource(product));
      await tx.remove(product).flush();
      return { result: null, event: { action: 'product.deleted', target: target(id), before } };
    });
    ctx.status = 204;
  });
  return router;
}
