import type { EntityManager } from '@mikro-orm/postgresql';
import { Customer, CustomerNote } from '../../schema/entities.ts';
import type { CustomerNoteEntity } from '../../schema/customer/customer-note.entity.ts';

/** A customer's notes, newest first; `null` for an unknown customer. */
export async function listCustomerNotes(em: EntityManager, customerId: string, limit = 200): Promise<CustomerNoteEntity[] | null> {
  const fork = em.fork();
  if (!(await fork.count(Customer, { id: customerId }))) return null;
  return fork.find(CustomerNote, { customer: customerId }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit });
}
