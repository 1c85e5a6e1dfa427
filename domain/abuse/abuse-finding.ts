import type { EntityManager } from '@mikro-orm/postgresql';
import type { AbuseAlertKind } from '../../schema/abuse/abuse-alert.entity.ts';
import type { AbusePolicy } from '../../schema/abuse/abuse-policy.ts';
import { License } from '../../schema/entities.ts';
import type { LicenseEntity } from '../../schema/license/license.entity.ts';
import { effectivePolicy } from '../../schema/plan/plan-policy.ts';
import { planPolicy } from '../../schema/plan/plan.entity.ts';
import { effectiveAbusePolicy } from './abuse-policy.ts';

/** What one check found about one license: the alert it raises, or merges into an open one. */
export interface AbuseFinding {
  licenseId: string;
  kind: AbuseAlertKind;
  /** Counts, thresholds and samples, for people and for the audit reason. Never a key. */
  evidence: Record<string, unknown>;
  windowStart: Date;
  windowEnd: Date;
  /** One sentence naming the evidence (`1,500 validations from 1,200 addresses in one hour; …`). */
  summary: string;
}

/** What the checks need to know about a license: its standing, its effective seat limit and domains, its plan's abuse policy. */
export interface LicenseFacts {
  id: string;
  status: string;
  seatLimit: number | null;
  allowedDomains: string[];
  abuse: AbusePolicy;
}

/** The facts of these licenses (one query), with each plan's abuse policy (defaults where the plan sets none). */
export async function licenseFacts(em: EntityManager, ids: readonly string[], policies: Map<string, AbusePolicy>): Promise<Map<string, LicenseFacts>> {
  if (ids.length === 0) return new Map();
  const licenses = (await em.find(License, { id: { $in: [...new Set(ids)] } }, { populate: ['plan'] })) as LicenseEntity[];
  return new Map(
    licenses.map((license) => {
      const plan = license.plan as unknown as Parameters<typeof planPolicy>[0];
      const policy = effectivePolicy(planPolicy(plan), license.overrides);
      return [license.id, { id: license.id, status: license.status, seatLimit: policy.seatLimit, allowedDomains: policy.allowedDomains, abuse: policies.get(plan.id) ?? effectiveAbusePolicy(null) }];
    }),
  );
}

export const count = (n: number) => n.toLocaleString('en-US');
