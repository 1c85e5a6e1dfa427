import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const API_TOKEN_SCOPES = ['admin', 'licenses:read', 'licenses:write'] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

/** Admin API bearer tokens. Only the keyed hash is stored; the raw token is shown once. */
export const ApiToken = defineEntity({
  name: 'ApiToken',
  tableName: 'api_token',
  properties: {
    id: p.uuid().primary(),
    name: p.string().length(100).unique('api_token_name_unique'),
    tokenHash: p.string().length(64).unique('api_token_hash_unique'),
    scopes: p.json<ApiTokenScope[]>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});

export type ApiTokenEntity = InferEntity<typeof ApiToken>;
