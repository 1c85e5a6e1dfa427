import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, data, type Schemas } from '@web/api/client';

export type RotatedKey = Schemas['RotatedKey'];
export type ResentKey = Schemas['ResentKey'];
export type SeatsReset = Schemas['SeatsReset'];

const path = (id: string) => ({ path: { id } });

/** After a key operation the license (its key hint, seats, audit trail, messages) has changed: read it again. */
function useLicenseMutation<I, O>(licenseId: string, call: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: call, onSuccess: () => queryClient.invalidateQueries({ queryKey: ['license', licenseId] }) });
}

export const useRotateKey = (licenseId: string) =>
  useLicenseMutation(licenseId, (body: { reason: string; overlap_seconds: number; notify: boolean }) => data(api.POST('/v1/licenses/{id}/rotate-key', { params: path(licenseId), body })));

export const useResendKey = (licenseId: string) =>
  useLicenseMutation(licenseId, (body: { reason?: string }) => data(api.POST('/v1/licenses/{id}/resend-key', { params: path(licenseId), body })));

export const useResetSeats = (licenseId: string) =>
  useLicenseMutation(licenseId, (body: { reason: string; override_cap: boolean }) => data(api.POST('/v1/licenses/{id}/reset-seats', { params: path(licenseId), body })));
