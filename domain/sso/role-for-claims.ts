import type { OidcRoleRule } from '../../lib/identity-config.ts';
import { roleRank, type Role } from '../../lib/roles.ts';

/**
 * The role the identity provider's claims give: every rule the person matches (their e-mail's
 * domain, a group they are in) counts, and the highest of those roles wins. Null: no rule
 * matches, and the person may not sign in.
 */
export function roleForClaims(rules: OidcRoleRule[], claims: { email: string; groups: string[] }): Role | null {
  const domain = claims.email.split('@')[1]?.toLowerCase() ?? '';
  const matched = rules.filter((rule) => (rule.kind === 'domain' ? rule.value === domain : claims.groups.includes(rule.value))).map((rule) => rule.role);
  if (!matched.length) return null;
  return matched.reduce((best, role) => (roleRank(role) > roleRank(best) ? role : best));
}
