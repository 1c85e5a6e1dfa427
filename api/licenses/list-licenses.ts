import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { text } from '../../lib/text.ts';
import { normalizeLicenseKey } from '../../lib/license-key.ts';
import type { ServerSecret } from '../../lib/server-secret.ts';
import { License } from '../../schema/entities.ts';
import { LICENSE_STATUSES } from '../../schema/license/license-status.ts';
import type { LicenseEntity } from '../../schema/license/license.entity.ts';
import { pageQuerySchema, paginate } from '../http/pagination.ts';
import { idParam } from '../http/resources.ts';

export const listLicensesQuery = pageQuerySchema
  .extend({
    customer_email: text().max(320).optional(),
    status: z.enum(LICENSE_STATUSES).optional(),
    plan: text().max(100).optional(),
    plan_id: idParam.optional(),
    /** The last group of the key, or the hint as shown (`KW-…-ZMC1`). */
    key_hint: text().min(4).max(32).optional(),
    /** A whole key: matched by its keyed hash. */
    key: text().max(200).optional(),
  })
  .strict();

/** Licenses matching the filters, newest first, one page at a time. */
export async function listLicenses(em: EntityManager, secret: ServerSecret, query: z.infer<typeof listLicensesQuery>) {
  const where: Record<string, unknown> = {};
  if (query.customer_email) where.customer = { email: query.customer_email.toLowerCase() };
  if (query.status) where.status = query.status;
  if (query.plan_id) where.plan = query.plan_id;
  else if (query.plan) where.plan = { code: query.plan };
  if (query.key_hint) where.keyHint = { $like: `%-${query.key_hint.toUpperCase().split('-').pop()}` };
  if (query.key) where.keyHash = secret.lookupHash(normalizeLicenseKey(query.key));
  return paginate(
    em,
    License,
    where,
    query,
    (license: LicenseEntity) => ({
      id: license.id,
      key_hint: license.keyHint,
      status: license.status,
      plan: license.plan.code,
      customer_email: license.customer?.email ?? null,
      expires_at: license.expiresAt?.toISOString() ?? null,
      trial_ends_at: license.trialEndsAt?.toISOString() ?? null,
      version: license.version,
      created_at: license.createdAt.toISOString(),
    }),
    ['plan', 'customer'],
  );
}
