import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { License } from '../license/license.entity.ts';

/** The terms a renewal task was last written with: a change of any of them updates the task. */
export interface RenewalTaskTerms {
  plan: string;
  seats: number | null;
  expiresAt: string | null;
  status: string;
}

/**
 * The HubSpot renewal task of a CRM-managed license's current period. Its id is kept so the
 * task is created once and then updated (renewal, plan or seat change, new expiry), never
 * duplicated. `periodEnd` is the expiry the task was opened for.
 */
export const CrmRenewalTask = defineEntity({
  name: 'CrmRenewalTask',
  tableName: 'crm_renewal_task',
  properties: {
    id: p.uuid().primary(),
    license: () => p.manyToOne(License).deleteRule('cascade').unique('crm_renewal_task_license_unique'),
    hubspotTaskId: p.string().length(64),
    periodEnd: p.datetime().nullable(),
    terms: p.json<RenewalTaskTerms>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export type CrmRenewalTaskEntity = InferEntity<typeof CrmRenewalTask>;
