import type { EntityManager } from '@mikro-orm/postgresql';
import { LICENSE_CHANGED_CHANNEL } from '../../schema/license/license-channels.ts';
import type { AbuseAction } from '../../schema/abuse/abuse-alert.entity.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { systemActor } from '../audit/audit-actor.ts';
import type { LicenseLifecycle } from '../lifecycle/license-lifecycle.ts';
import type { AbuseFinding } from './abuse-finding.ts';

/** The actor of everything abuse detection does, in the audit trail and the workflow's history. */
export const ABUSE_ACTOR = 'system:abuse';

/** The audit reason of an action: the alert, its kind and its evidence in one sentence. */
export const abuseReason = (alertId: string, finding: AbuseFinding) => `abuse alert ${alertId} (${finding.kind}): ${finding.summary}`;

/**
 * Runs the plan's action for a new alert, if the license can still be acted on (ACTIVE or
 * TRIALING): REQUIRE_REACTIVATION ends every live activation (each machine must activate
 * again, audited per activation, API caches told at commit); SUSPEND goes through the
 * license's workflow as an admin suspension by `system:abuse`, which audits it with the reason.
 * Returns the action taken, or null (FLAG, or nothing to act on).
 */
export async function actOnAbuseAlert(
  deps: { em: EntityManager; lifecycle: LicenseLifecycle },
  alertId: string,
  finding: AbuseFinding,
  action: AbuseAction,
  licenseStatus: string,
): Promise<AbuseAction | null> {
  if (action === 'FLAG' || !['ACTIVE', 'TRIALING'].includes(licenseStatus)) return null;
  const reason = abuseReason(alertId, finding);
  if (action === 'SUSPEND') {
    await deps.lifecycle.update(finding.licenseId, { name: 'suspend', args: { actor: ABUSE_ACTOR, reason } });
  } else {
    await deps.em.fork().transactional(async (tx) => {
      const ended = await tx.execute<{ id: string; fingerprint: string }[]>(
        `update activation set deactivated_at = now(), deactivated_by = ? where license_id = ? and deactivated_at is null returning id, fingerprint`,
        [ABUSE_ACTOR, finding.licenseId],
      );
      for (const activation of ended) {
        await recordAuditEvent(tx, {
          actor: systemActor('abuse'),
          action: 'activation.deactivated',
          target: { type: 'activation', id: activation.id },
          reason,
          before: { activation_id: activation.id, fingerprint: activation.fingerprint },
          licenseId: finding.licenseId,
        });
      }
      await tx.execute(`select pg_notify(?, ?)`, [LICENSE_CHANGED_CHANNEL, finding.licenseId]);
    });
  }
  await deps.em.getConnection().execute(`update abuse_alert set status = 'ACTED', action = ?, acted_at = now(), updated_at = now() where id = ?`, [action, alertId]);
  return action;
}
