import { Refusal } from '../refusal.ts';
import { PASSWORD_WEAKNESS_DETAIL, passwordWeakness } from './password-policy.ts';

/** Refuses a weak password with WEAK_PASSWORD and the reason (`reason`: TOO_SHORT, COMMON, …). */
export function assertStrongPassword(password: string, context: { minLength: number; email?: string }): void {
  const weakness = passwordWeakness(password, context);
  if (weakness) throw new Refusal('WEAK_PASSWORD', PASSWORD_WEAKNESS_DETAIL[weakness](context.minLength), { extra: { reason: weakness } });
}
