import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServerSecret } from '../../lib/server-secret.ts';
import type { StaffMemberEntity } from '../../schema/staff/staff-member.entity.ts';
import { useRecoveryCode } from './recovery-codes.ts';
import { acceptedTotpStep, openTotpSecret } from './two-factor-secret.ts';

/**
 * Checks a second factor of a member with two-factor on: a TOTP code (each accepted once: the
 * step is recorded, atomically, so two requests with one code cannot both pass) or a recovery
 * code (used up). Answers which one passed, or null.
 */
export async function verifySecondFactor(
  em: EntityManager,
  secret: ServerSecret,
  member: StaffMemberEntity,
  input: { totpCode?: string; recoveryCode?: string },
): Promise<'totp' | 'recovery_code' | null> {
  if (input.totpCode) {
    const step = await acceptedTotpStep(openTotpSecret(secret, member), input.totpCode, member.totpLastStep ?? null);
    if (step === null) return null;
    const claimed = await em.execute(`update staff_member set totp_last_step = ? where id = ? and (totp_last_step is null or totp_last_step < ?) returning id`, [step, member.id, step]);
    return claimed.length ? 'totp' : null;
  }
  if (input.recoveryCode) return (await useRecoveryCode(em, secret, member.id, input.recoveryCode)) ? 'recovery_code' : null;
  return null;
}
