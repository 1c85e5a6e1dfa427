import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data, type Schemas } from '@web/api/client';

export type StaffMember = Schemas['StaffMember'];
export type StaffSession = Schemas['StaffSession'];
export type Role = Schemas['Role'];
export type StaffLinkSent = Schemas['StaffLinkSent'];

export const ROLES: Array<{ value: Role; label: string; description: string }> = [
  { value: 'owner', label: 'Owner', description: 'Everything, including staff, tokens, signing keys and settings.' },
  { value: 'admin', label: 'Admin', description: 'Everything but staff management and settings.' },
  { value: 'support', label: 'Support', description: 'Reads everything; extends trials, sets expiry, frees seats, suspends and reinstates, retries messages.' },
  { value: 'finance', label: 'Finance', description: 'Reads everything; changes plans, revokes, replays Stripe events.' },
  { value: 'read_only', label: 'Read-only', description: 'Reads everything, changes nothing.' },
];
export const roleLabel = (role: Role) => ROLES.find((item) => item.value === role)?.label ?? role;

export interface StaffFilters {
  role?: Role;
  status?: StaffMember['status'];
}

export const PAGE_SIZE = 50;

export const useStaff = (filters: StaffFilters, cursor: string | undefined) =>
  useQuery({
    queryKey: ['staff', filters, cursor],
    queryFn: () => data(api.GET('/v1/staff', { params: { query: { ...filters, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } } })),
    placeholderData: keepPreviousData,
  });

const path = (id: string) => ({ params: { path: { id } } });

export const useStaffMember = (id: string) => useQuery({ queryKey: ['staff', 'member', id], queryFn: () => data(api.GET('/v1/staff/{id}', path(id))) });
/**
 * A member's live sessions: through the staff directory, or (`own`: a member without
 * `staff:write` looking at themself) through their own account's endpoints.
 */
export const useStaffSessions = (id: string, own: boolean) =>
  useQuery({
    queryKey: ['staff', 'member', id, 'sessions', own],
    queryFn: () => (own ? data(api.GET('/v1/me/sessions')) : data(api.GET('/v1/staff/{id}/sessions', path(id)))),
  });

/** Every write here changes the directory or a member's sessions: refresh both. */
function useStaffWrite<Input, Output>(write: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: write, onSettled: () => queryClient.invalidateQueries({ queryKey: ['staff'] }) });
}

export const useInviteStaff = () => useStaffWrite((body: { email: string; name: string; role: Role }) => data(api.POST('/v1/staff', { body })));

export const useUpdateStaff = (id: string) =>
  useStaffWrite((body: { role?: Role; status?: StaffMember['status']; reason: string }) => data(api.PATCH('/v1/staff/{id}', { ...path(id), body })));

export const useResetTwoFactor = (id: string) => useStaffWrite((reason: string) => data(api.POST('/v1/staff/{id}/two-factor/reset', { ...path(id), body: { reason } })));

export const useSendLink = (id: string) =>
  useStaffWrite((kind: 'invitation' | 'password-reset') =>
    kind === 'invitation' ? data(api.POST('/v1/staff/{id}/invitation', path(id))) : data(api.POST('/v1/staff/{id}/password-reset', path(id))),
  );

export const useRevokeSession = (own: boolean) =>
  useStaffWrite(({ sessionId, reason }: { sessionId: string; reason: string }) =>
    own ? data(api.DELETE('/v1/me/sessions/{id}', { params: { path: { id: sessionId } } })) : data(api.DELETE('/v1/sessions/{id}', { params: { path: { id: sessionId }, query: { reason } } })),
  );

export const useSignOutEverywhere = (id: string, own: boolean) =>
  useStaffWrite((reason: string) => (own ? data(api.POST('/v1/me/sign-out-everywhere')) : data(api.POST('/v1/staff/{id}/sign-out-everywhere', { ...path(id), body: { reason } }))));
