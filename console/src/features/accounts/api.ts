import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data, type Schemas } from '@web/api/client';
import { searchLicenses } from '../search/api';

export type LicenseDetail = Schemas['LicenseDetail'];
export type Activation = Schemas['Activation'];
export type AuditEvent = Schemas['AuditEvent'];
export type Message = Schemas['Message'];
export type StripeEventRecord = Schemas['StripeEventRecord'];
export type OfflineTokenLogEntry = Schemas['OfflineTokenLogEntry'];
export type CustomerNote = Schemas['CustomerNote'];

const path = (id: string) => ({ params: { path: { id } } });

export const useCustomer = (id: string) => useQuery({ queryKey: ['customer', id], queryFn: () => data(api.GET('/v1/customers/{id}', path(id))) });

/** Every license of the customer (an account rarely holds more than a handful). */
export const useCustomerLicenses = (customerId: string) =>
  useQuery({ queryKey: ['customer', customerId, 'licenses'], queryFn: () => searchLicenses({ customer_id: customerId }, undefined, 100) });

/** The search's view of one license (its plan's name and tier, its customer), for a license opened by id. */
export const useLicenseHit = (id: string) =>
  useQuery({ queryKey: ['license', id, 'hit'], queryFn: async () => (await searchLicenses({ q: id }, undefined, 1)).data.find((hit) => hit.id === id) ?? null });

export const useLicense = (id: string) => useQuery({ queryKey: ['license', id], queryFn: () => data(api.GET('/v1/licenses/{id}', path(id))) });
export const useTimeline = (id: string) => useQuery({ queryKey: ['license', id, 'timeline'], queryFn: () => data(api.GET('/v1/licenses/{id}/timeline', path(id))) });
export const useWorkflow = (id: string) => useQuery({ queryKey: ['license', id, 'workflow'], queryFn: () => data(api.GET('/v1/licenses/{id}/workflow', path(id))) });
export const useMessages = (id: string) =>
  useQuery({ queryKey: ['license', id, 'messages'], queryFn: () => data(api.GET('/v1/licenses/{id}/messages', { params: { path: { id }, query: { limit: 100 } } })) });
export const useStripeEvents = (id: string) => useQuery({ queryKey: ['license', id, 'stripe-events'], queryFn: () => data(api.GET('/v1/licenses/{id}/stripe-events', path(id))) });
export const useOfflineTokens = (id: string) => useQuery({ queryKey: ['license', id, 'offline-tokens'], queryFn: () => data(api.GET('/v1/licenses/{id}/offline-tokens', path(id))) });

export const useNotes = (customerId: string) => useQuery({ queryKey: ['customer', customerId, 'notes'], queryFn: () => data(api.GET('/v1/customers/{id}/notes', path(customerId))) });

export function useAddNote(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: string) => data(api.POST('/v1/customers/{id}/notes', { params: { path: { id: customerId } }, body: { body } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['customer', customerId, 'notes'] }),
  });
}
