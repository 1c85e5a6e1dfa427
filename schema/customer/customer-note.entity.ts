import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Customer } from './customer.entity.ts';

/**
 * A staff note on a customer's account ("called on 3 March, promised an extension"): what the
 * next person on the account needs to know. Notes are added, never edited; staff-only (the
 * customer portal never shows them).
 */
export const CustomerNote = defineEntity({
  name: 'CustomerNote',
  tableName: 'customer_note',
  indexes: [{ name: 'customer_note_customer_index', properties: ['customer', 'createdAt'] }],
  properties: {
    id: p.uuid().primary(),
    customer: () => p.manyToOne(Customer).deleteRule('cascade'),
    /** Who wrote it: `staff:<email>`, `admin:<token name>`. */
    author: p.string().length(200),
    body: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export type CustomerNoteEntity = InferEntity<typeof CustomerNote>;
