import type { StaffMemberEntity } from '../../schema/staff/staff-member.entity.ts';

/** What the audit trail records of a staff member: who they are and what they may do, never a secret. */
export function staffAuditView(member: StaffMemberEntity): Record<string, unknown> {
  return {
    email: member.email,
    name: member.name,
    role: member.role,
    status: member.status,
    two_factor_enabled: Boolean(member.totpEnabledAt),
    sso_managed: member.ssoManaged,
  };
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();
