import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { text } from '../../lib/text.ts';
import { LICENSE_CHANGED_CHANNEL } from '../../schema/license/license-channels.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../domain-error.ts';
import { loadSnapshotById } from '../licenses/license-snapshot.ts';
import type { KeyOperationActor } from '../licenses/rotate-license-key.ts';
import type { CachedLicenses } from './cached-licenses.ts';
import { deactivationAllowance } from './deactivation-allowance.ts';
import { updateOverageWindow } from './overage-window.ts';

export const resetLicenseSeatsSchema = z
  .object({
    /** Why every machine is freed (a fleet re-imaged, a lost laptop): kept in the audit trail. */
    reason: text().trim().min(1).max(1000),
    /** Free them even beyond the plan's deactivation cap: needs the `seats:override-cap` scope. */
    override_cap: z.boolean().default(false),
  })
  .strict();
export type ResetLicenseSeatsInput = z.input<typeof resetLicenseSeatsSchema>;

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
/** `activation.deactivated_by` of a reset within the cap (counted by later resets), and of one beyond it. */
const RESET = 'reset:';
const RESET_OVER_CAP = 'reset-override:';

export interface SeatReset {
  licenseId: string;
  /** The activations freed. */
  freed: number;
  /** The plan's cap, and what this reset leaves of it (null: the plan sets no cap). */
  cap: { limit: number; periodDays: number; used: number; remaining: number } | null;
  overridden: boolean;
}

/**
 * Frees every live seat of a license at once (the articles' "users need resets"): the
 * activations stay in the history, marked as reset. Bounded by the plan's deactivation cap:
 * the seats freed, added to the period's count (deactivation-allowance.ts: self-service and
 * portal frees, earlier resets), may not exceed it, unless the caller overrides it (an admin,
 * with the reason recorded). Under the license row's lock, audited, and every replica told at
 * commit.
 */
export async function resetLicenseSeats(
  deps: { em: EntityManager; cache?: Pick<CachedLicenses, 'invalidate'> },
  licenseId: string,
  input: ResetLicenseSeatsInput,
  acting: KeyOperationActor,
  now = new Date(),
): Promise<SeatReset> {
  const { reason, override_cap: override } = resetLicenseSeatsSchema.parse(input);
  const result = await deps.em.fork().transactional(async (tx) => {
    const [locked] = await tx.execute<{ id: string }[]>(`select id from license where id = ? for update`, [licenseId]);
    if (!locked) throw new DomainError('LICENSE_NOT_FOUND', `no license with id ${licenseId}`);
    const license = (await loadSnapshotById(tx, licenseId))!;
    const live = await tx.execute<{ id: string; fingerprint: string }[]>(
      `select id, fingerprint from activation where license_id = ? and deactivated_at is null order by first_seen_at`,
      [licenseId],
    );
    const { limit, used, periodDays } = await deactivationAllowance(tx, licenseId, license.policy, now);
    let cap: SeatReset['cap'] = null;
    if (limit !== null) {
      if (!override && used + live.length > limit) {
        throw new DomainError(
          'SEAT_RESET_OVER_CAP',
          `Resetting ${count(live.length, 'seat')} would pass the plan's cap of ${count(limit, 'deactivation')} per ${count(periodDays, 'day')} (${used} used, ${Math.max(0, limit - used)} left); an admin may override it with a reason.`,
          { extra: { cap: { seats: live.length, limit, period_days: periodDays, used, remaining: Math.max(0, limit - used) } } },
        );
      }
      const counted = override ? used : used + live.length;
      cap = { limit, periodDays, used: counted, remaining: Math.max(0, limit - counted) };
    }
    if (!live.length) return { licenseId, freed: 0, cap, overridden: false };
    await tx.execute(`update activation set deactivated_at = ?, deactivated_by = ? where license_id = ? and deactivated_at is null`, [
      now,
      `${override ? RESET_OVER_CAP : RESET}${acting.label}`.slice(0, 200),
      licenseId,
    ]);
    await updateOverageWindow(tx, license, 0, now);
    await recordAuditEvent(tx, {
      actor: acting.actor,
      action: 'license.seats_reset',
      target: { type: 'license', id: licenseId },
      reason,
      before: { seats_in_use: live.length, activation_ids: live.slice(0, 100).map((a) => a.id) },
      after: { seats_in_use: 0, cap_overridden: override, ...(cap ? { deactivations_used: cap.used, deactivation_limit: cap.limit } : {}) },
      origin: acting.origin,
      licenseId,
    });
    await tx.execute(`select pg_notify(?, ?)`, [LICENSE_CHANGED_CHANNEL, licenseId]);
    return { licenseId, freed: live.length, cap, overridden: override };
  });
  deps.cache?.invalidate(licenseId);
  return result;
}
