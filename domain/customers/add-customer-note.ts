import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Customer, CustomerNote } from '../../schema/entities.ts';
import type { CustomerNoteEntity } from '../../schema/customer/customer-note.entity.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import type { Acting } from '../staff/staff-deps.ts';

/** Adds a note to a customer's account, audited in the same transaction; `null` for an unknown customer. */
export async function addCustomerNote(em: EntityManager, customerId: string, body: string, acting: Acting): Promise<CustomerNoteEntity | null> {
  return em.fork().transactional(async (tx) => {
    if (!(await tx.count(Customer, { id: customerId }))) return null;
    const note = tx.create(CustomerNote, { id: randomUUID(), customer: customerId, author: acting.label, body } as never) as CustomerNoteEntity;
    await tx.flush();
    await recordAuditEvent(tx, {
      actor: acting.actor,
      action: 'customer.note_added',
      target: { type: 'customer', id: customerId },
      after: { note_id: note.id, body },
      origin: acting.origin,
    });
    return note;
  });
}
