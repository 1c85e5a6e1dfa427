import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data, type Schemas } from '@web/api/client';

export type ApiToken = Schemas['ApiToken'];
export type Scope = Schemas['Scope'];
export type CreateApiTokenRequest = Schemas['CreateApiTokenRequest'];

/** Every scope, in words (a scope added to the API without words here fails the type-check). */
export const SCOPE_WORDS = {
  admin: 'Everything, present and future',
  'licenses:read': 'Read licenses, customers, catalog, messages, events',
  'licenses:write': 'Create licenses, issue offline tokens',
  'licenses:lifecycle': 'Extend trials, set expiry, suspend, reinstate',
  'licenses:renew': 'Renew a term by hand',
  'licenses:change-plan': 'Change a license’s plan',
  'licenses:revoke': 'Revoke licenses',
  'licenses:bulk': 'Change many licenses at once',
  'seats:write': 'Free seats',
  'seats:override-cap': 'Reset seats past the plan’s cap',
  'catalog:write': 'Edit products and plans',
  'customers:write': 'Edit customers',
  'customers:notes': 'Add notes to accounts',
  'messages:retry': 'Send failed messages again',
  'stripe:replay': 'Replay Stripe events',
  'signing-keys:write': 'Rotate and retire signing keys',
  'staff:read': 'Read the staff directory',
  'staff:write': 'Manage staff',
  'tokens:read': 'List API tokens',
  'tokens:write': 'Create and revoke API tokens',
  'audit:read': 'Read the audit trail',
  'settings:write': 'Change identity settings',
  'keys:rotate': 'Replace a license’s key',
  'keys:rotate-many': 'Replace the keys of many licenses',
  'keys:send': 'E-mail a license’s key again',
  'reports:read': 'Read the reports',
} satisfies Record<Scope, string>;
export const SCOPES = Object.keys(SCOPE_WORDS) as Scope[];

export const PAGE_SIZE = 50;

export const useApiTokens = (includeRevoked: boolean, cursor: string | undefined) =>
  useQuery({
    queryKey: ['api-tokens', includeRevoked, cursor],
    queryFn: () => data(api.GET('/v1/api-tokens', { params: { query: { include_revoked: includeRevoked ? 'true' : 'false', limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } } })),
    placeholderData: keepPreviousData,
  });

/** Staff names for the owner column (a directory rarely passes a hundred). */
export const useStaffNames = () =>
  useQuery({
    queryKey: ['staff', 'names'],
    queryFn: async () => new Map((await data(api.GET('/v1/staff', { params: { query: { limit: 100 } } }))).data.map((member) => [member.id, member.name])),
  });

export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateApiTokenRequest) => data(api.POST('/v1/api-tokens', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['api-tokens'] }),
  });
}

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => data(api.DELETE('/v1/api-tokens/{id}', { params: { path: { id }, query: { reason } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['api-tokens'] }),
  });
}
