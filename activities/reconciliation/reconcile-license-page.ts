import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../lib/logger.ts';
import type { LicenseStatus } from '../../schema/license/license-status.ts';
import { applyLicenseChange } from '../../domain/licenses/apply-license-change.ts';
import { diagnoseLicenseDrift, type DriftKind, type LicenseRowSnapshot } from '../../domain/licenses/diagnose-license-drift.ts';
import type { LifecycleClient } from '../../temporal/lifecycle-client.ts';

export interface ReconcilePageInput {
  /** Licenses with an id after this one (keyset pagination); null for the first page. */
  afterId: string | null;
  limit: number;
}

export interface LicenseRepair {
  licenseId: string;
  kind: DriftKind;
  action: string;
  detail: string;
}

export interface ReconcilePageResult {
  checked: number;
  /** Per drift kind, including IN_SYNC and IN_FLIGHT. */
  counts: Partial<Record<DriftKind, number>>;
  repairs: LicenseRepair[];
  /** Repairs that failed this time; the next run tries again. */
  failures: Array<{ licenseId: string; error: string }>;
  /** The id to continue after, or null when this was the last page. */
  nextAfterId: string | null;
}

export interface ReconcileDependencies {
  em: EntityManager;
  lifecycle: LifecycleClient;
  logger: Logger;
}

const ACTOR = 'system:reconciler';
const CONCURRENCY = 8;

async function readPage(em: EntityManager, input: ReconcilePageInput): Promise<LicenseRowSnapshot[]> {
  const rows = await em.fork().execute<Array<{ id: string; status: LicenseStatus; plan_code: string; expires_at: Date | null; created_at: Date }>>(
    `select l.id, l.status, p.code as plan_code, l.expires_at, l.created_at
       from license l join plan p on p.id = l.plan_id
      where (?::uuid is null or l.id > ?::uuid)
      order by l.id limit ?`,
    [input.afterId, input.afterId, input.limit],
  );
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    planCode: row.plan_code,
    expiresAt: row.expires_at ? new Date(row.expires_at).toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
  }));
}

/**
 * One page of the drift check: compares each license row with its workflow (one describe
 * call each, no queries) and repairs what differs. Every repair is idempotent, so a retried
 * page or an overlapping run does no harm.
 */
export function reconcileLicensePage(deps: ReconcileDependencies) {
  const writeRow = applyLicenseChange(deps.em);

  async function repair(row: LicenseRowSnapshot, action: string, detail: string): Promise<void> {
    switch (action) {
      case 'start_workflow':
        await deps.lifecycle.startFromRow(row.id, new Date());
        return;
      case 'signal_reconcile':
        await deps.lifecycle.signalReconcile(row.id, detail);
        return;
      case 'revoke_workflow':
        await deps.lifecycle.update(row.id, { name: 'revoke', args: { actor: ACTOR, reason: `the license was revoked outside its workflow (${detail})` } });
        return;
      case 'mark_row_revoked':
        await writeRow({ licenseId: row.id, patch: { status: 'REVOKED' }, action: 'license.reconciled', actor: ACTOR, reason: detail });
        return;
    }
  }

  return async (input: ReconcilePageInput): Promise<ReconcilePageResult> => {
    const rows = await readPage(deps.em, input);
    const result: ReconcilePageResult = { checked: rows.length, counts: {}, repairs: [], failures: [], nextAfterId: rows.length === input.limit ? rows[rows.length - 1]!.id : null };
    let next = 0;
    const work = async () => {
      while (next < rows.length) {
        const row = rows[next++]!;
        try {
          const diagnosis = diagnoseLicenseDrift(row, await deps.lifecycle.describe(row.id), Date.now());
          result.counts[diagnosis.kind] = (result.counts[diagnosis.kind] ?? 0) + 1;
          if (diagnosis.repair.action === 'none') continue;
          await repair(row, diagnosis.repair.action, diagnosis.detail);
          result.repairs.push({ licenseId: row.id, kind: diagnosis.kind, action: diagnosis.repair.action, detail: diagnosis.detail });
          deps.logger.info({ licenseId: row.id, kind: diagnosis.kind, action: diagnosis.repair.action }, 'repaired license drift');
        } catch (error) {
          // One license's trouble does not hold up the others; the next run tries again.
          result.failures.push({ licenseId: row.id, error: (error as Error).message });
          deps.logger.warn({ licenseId: row.id, err: (error as Error).message }, 'could not check or repair license drift');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, rows.length) }, work));
    result.repairs.sort((a, b) => a.licenseId.localeCompare(b.licenseId));
    return result;
  };
}
