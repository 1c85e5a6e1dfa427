import Router from '@koa/router';
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
import { idParam, iso } from '../http/resources.ts';

const code = text().trim().min(1).max(100).regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, dots, dashes and underscores');
export const productCreateSchema = z.object({ code, name: text().trim().min(1).max(200), metadata: jsonObject().default({}) }).strict();
export const productUpdateSchema = z.object({ name: text().trim().min(1).max(200), metadata: jsonObject() }).partial().strict();

export function productResource(product: ProductEntity) {
  return { id: product.id, code: product.code, name: product.name, metadata: product.metadata, created_at: iso(product.createdAt), updated_at: iso(product.updatedAt) };
}

async function findProduct(deps: ApiDependencies, id: string) {
  const em = deps.em.fork();
  const product = await em.findOne(Product, { id });
  if (!product) throw new Problem('PRODUCT_NOT_FOUND', `no product with id ${id}`);
  return { em, product };
}

/** Admin CRUD for products. */
export function productRoutes(deps: ApiDependencies): Router {
  const router = new Router({ prefix: '/v1/products' });
  const taken = (c: string): ['PRODUCT_CODE_TAKEN', string] => ['PRODUCT_CODE_TAKEN', `a product with code "${c}" already exists`];

  router.post('/', async (ctx) => {
    const input = await parseBody(ctx, productCreateSchema);
    const em = deps.em.fork();
    const product = em.create(Product, { id: randomUUID(), ...input });
    await withConstraintProblems(() => em.flush(), { unique: taken(input.code) });
    ctx.status = 201;
    ctx.set('Location', `/v1/products/${product.id}`);
    ctx.body = productResource(product);
  });
  router.get('/', async (ctx) => {
    ctx.body = await paginate(deps.em, Product, {}, parseWith(pageQuerySchema, ctx.query), productResource);
  });
  router.get('/:id', async (ctx) => {
    ctx.body = productResource((await findProduct(deps, parseWith(idParam, ctx.params.id))).product);
  });
  router.patch('/:id', async (ctx) => {
    const { em, product } = await findProduct(deps, parseWith(idParam, ctx.params.id));
    em.assign(product, await parseBody(ctx, productUpdateSchema));
    await em.flush();
    ctx.body = productResource(product);
  });
  router.delete('/:id', async (ctx) => {
    const { em, product } = await findProduct(deps, parseWith(idParam, ctx.params.id));
    if (await em.count(Plan, { product: product.id })) throw new Problem('PRODUCT_IN_USE', 'this product still has plans; delete them first');
    await em.remove(product).flush();
    ctx.status = 204;
  });
  return router;
}
