import { StaffMember } from '../../schema/staff/staff-member.entity.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { Refusal } from '../refusal.ts';
import { replaceRecoveryCodes } from './recovery-codes.ts';
import type { Acting, SecretDeps } from './staff-deps.ts';
import { acceptedTotpStep, openTotpSecret } from './two-factor-secret.ts';

/**
 * Step two: a code from the app proves it holds the secret; two-factor is then on, and ten
 * recovery codes are answered (shown once).
 */
export async function confirmTwoFactorEnrolment(deps: SecretDeps, memberId: string, code: string, acting: Acting): Promise<{ recoveryCodes: string[] }> {
  return deps.em.fork().transactional(async (tx) => {
    const member = await tx.findOneOrFail(StaffMember, { id: memberId });
    if (member.totpEnabledAt) throw new Refusal('TWO_FACTOR_ALREADY_ENABLED', 'two-factor is already on');
    if (!member.totpSecretCiphertext) throw new Refusal('TWO_FACTOR_NOT_STARTED', 'start with POST /v1/me/two-factor');
    const step = await acceptedTotpStep(openTotpSecret(deps.secret, member), code, null);
    if (step === null) throw new Refusal('INVALID_TWO_FACTOR_CODE', 'the code does not match; check the authenticator app\'s clock and try the current code');
    member.totpEnabledAt = new Date();
    member.totpLastStep = step;
    await tx.flush();
    const recoveryCodes = await replaceRecoveryCodes(tx, deps.secret, member.id);
    await recordAuditEvent(tx, { actor: acting.actor, action: 'staff.two_factor_enabled', target: { type: 'staff_member', id: member.id }, after: { two_factor_enabled: true }, origin: acting.origin });
    return { recoveryCodes };
  });
}
