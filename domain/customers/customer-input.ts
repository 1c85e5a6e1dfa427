import { z } from 'zod';
import { jsonObject, text } from '../../lib/text.ts';

/** A customer's fields as inputs spell them (snake_case), for creating one on its own or with a license. */
const fields = {
  email: z.email().max(320).transform((e) => e.toLowerCase()),
  name: text().trim().min(1).max(200).nullable(),
  stripe_customer_id: text().regex(/^cus_[A-Za-z0-9]+$/, 'must be a Stripe customer id (cus_…)').nullable(),
  hubspot_contact_id: text().max(64).nullable(),
  hubspot_company_id: text().max(64).nullable(),
  metadata: jsonObject(),
};
export const customerCreateSchema = z.object(fields).partial().required({ email: true }).strict();
export const customerUpdateSchema = z.object(fields).partial().strict();

/** The entity columns an input sets (only those sent). */
export function customerColumns(input: Partial<z.infer<typeof customerUpdateSchema>>) {
  const columns = {
    email: input.email,
    name: input.name,
    stripeCustomerId: input.stripe_customer_id,
    hubspotContactId: input.hubspot_contact_id,
    hubspotCompanyId: input.hubspot_company_id,
    metadata: input.metadata,
  };
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined));
}
