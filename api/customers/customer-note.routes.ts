import Router from '@koa/router';
import { z } from 'zod';
import { text } from '../../lib/text.ts';
import { addCustomerNote } from '../../domain/customers/add-customer-note.ts';
import { listCustomerNotes } from '../../domain/customers/list-customer-notes.ts';
import type { CustomerNoteEntity } from '../../schema/customer/customer-note.entity.ts';
import { principalOf } from '../auth/principal.ts';
import { actingOf } from '../staff/acting.ts';
import type { ApiDependencies } from '../dependencies.ts';
import { parseBody, parseWith } from '../http/body.ts';
import { Problem } from '../http/problem.ts';
import { idParam, iso } from '../http/resources.ts';

export const customerNoteRequest = z.object({ body: text().trim().min(1).max(5000) }).strict();

export function customerNoteResource(note: CustomerNoteEntity) {
  return { id: note.id, author: note.author, body: note.body, created_at: iso(note.createdAt)! };
}

const notFound = (id: string) => new Problem('CUSTOMER_NOT_FOUND', `no customer with id ${id}`);

/** Staff notes on a customer's account: read with `licenses:read`, added with `customers:notes` (api/auth/route-rules.ts). */
export function customerNoteRoutes(deps: ApiDependencies): Router {
  const router = new Router({ prefix: '/v1/customers' });

  router.get('/:id/notes', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const notes = await listCustomerNotes(deps.em, id);
    if (!notes) throw notFound(id);
    ctx.body = { data: notes.map(customerNoteResource) };
  });

  router.post('/:id/notes', async (ctx) => {
    const id = parseWith(idParam, ctx.params.id);
    const { body } = await parseBody(ctx, customerNoteRequest);
    const note = await addCustomerNote(deps.em, id, body, actingOf(principalOf(ctx)));
    if (!note) throw notFound(id);
    ctx.status = 201;
    ctx.body = customerNoteResource(note);
  });

  return router;
}
