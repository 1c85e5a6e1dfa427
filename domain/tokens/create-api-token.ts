import { randomBytes, randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ServerSecret } from '../../lib/server-secret.ts';
import { ApiToken, type ApiTokenEntity } from '../../schema/auth/api-token.entity.ts';
import { grants, ROLE_SCOPES, scopesBeyond, type Scope } from '../../lib/roles.ts';
import { StaffMember } from '../../schema/staff/staff-member.entity.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { Refusal } from '../refusal.ts';
import type { Acting } from '../staff/staff-deps.ts';
import { apiTokenAuditView } from './api-token-view.ts';

export const API_TOKEN_PREFIX = 'kwa_';

export interface NewApiToken {
  name: string;
  scopes: Scope[];
  expiresAt?: Date | null;
  /** The staff member it belongs to (default: the creator); or `service` for a named service. */
  staffId?: string;
  service?: string;
}

/** Who creates it: the scopes they hold now and the member they are (none for a service token). */
export interface TokenCreator extends Acting {
  scopes: readonly Scope[];
  staffId: string | null;
}

/**
 * Creates an API token: `kwa_` and 256 random bits, shown once; only its keyed hash and its
 * last four characters are kept. It can never carry a scope its creator lacks, and a member's
 * token never more than the member's role (SCOPE_NOT_GRANTABLE). A token for another member
 * needs `staff:write`.
 */
export async function createApiToken(deps: { em: EntityManager; secret: ServerSecret }, input: NewApiToken, creator: TokenCreator): Promise<{ token: string; record: ApiTokenEntity }> {
  const beyond = scopesBeyond(creator.scopes, input.scopes);
  if (beyond.length) throw new Refusal('SCOPE_NOT_GRANTABLE', `you cannot grant scopes you do not hold: ${beyond.join(', ')}`);
  const raw = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  try {
    const record = await deps.em.fork().transactional(async (tx) => {
      let staffMember = null;
      if (!input.service) {
        const staffId = input.staffId ?? creator.staffId;
        if (!staffId) throw new Refusal('INVALID_REQUEST', 'a token belongs to a staff member (staff_id) or to a named service (service)');
        if (staffId !== creator.staffId && !grants(creator.scopes, 'staff:write')) throw new Refusal('FORBIDDEN', 'only members with "staff:write" create tokens for someone else');
        staffMember = await tx.findOne(StaffMember, { id: staffId });
        if (!staffMember) throw new Refusal('STAFF_NOT_FOUND', `no staff member with id ${staffId}`);
        if (staffMember.status !== 'ACTIVE') throw new Refusal('ACCOUNT_DISABLED', 'the staff account is disabled');
        const beyondRole = scopesBeyond(ROLE_SCOPES[staffMember.role], input.scopes);
        if (beyondRole.length) throw new Refusal('SCOPE_NOT_GRANTABLE', `the ${staffMember.role} role does not hold ${beyondRole.join(', ')}`);
      }
      const token = tx.create(ApiToken, {
        id: randomUUID(),
        name: input.name,
        tokenHash: deps.secret.lookupHash(raw),
        hint: raw.slice(-4),
        scopes: [...new Set(input.scopes)],
        staffMember,
        service: input.service ?? null,
        createdBy: creator.label,
        expiresAt: input.expiresAt ?? null,
      });
      await tx.flush();
      await recordAuditEvent(tx, { actor: creator.actor, action: 'api_token.created', target: { type: 'api_token', id: token.id }, after: apiTokenAuditView(token), origin: creator.origin });
      return token;
    });
    return { token: raw, record };
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new Refusal('API_TOKEN_NAME_TAKEN', `a token is already named "${input.name}"`);
    throw error;
  }
}
