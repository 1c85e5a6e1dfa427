import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { StaffMember } from '../staff/staff-member.entity.ts';
import { SCOPES, type Scope } from '../../lib/roles.ts';

export const API_TOKEN_SCOPES = SCOPES;
export type ApiTokenScope = Scope;

/**
 * Admin API bearer tokens (`kwa_…`). Only the keyed hash is stored; the raw token is shown
 * once. A token belongs to a staff member (it never grants more than their role does now,
 * and stops with their account) or to a named service.
 */
export const ApiToken = defineEntity({
  name: 'ApiToken',
  tableName: 'api_token',
  properties: {
    id: p.uuid().primary(),
    name: p.string().length(100).unique('api_token_name_unique'),
    tokenHash: p.string().length(64).unique('api_token_hash_unique'),
    /** The token's last four characters, so staff can tell tokens apart. */
    hint: p.string().length(16).nullable(),
    scopes: p.json<ApiTokenScope[]>(),
    staffMember: () => p.manyToOne(StaffMember).nullable().index('api_token_staff_member_index'),
    /** The service a token without a staff member belongs to (`ci`, `prometheus`, …). */
    service: p.string().length(100).nullable(),
    /** Who created it (`staff:<email>`, `admin:<token>`, `system:start`). */
    createdBy: p.string().length(200).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    revokedBy: p.string().length(200).nullable(),
  },
});

export type ApiTokenEntity = InferEntity<typeof ApiToken>;
