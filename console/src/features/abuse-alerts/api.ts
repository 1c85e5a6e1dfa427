import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data, type Schemas } from '@web/api/client';

export type AbuseAlert = Schemas['AbuseAlert'];
export type AbuseAlertKind = Schemas['AbuseAlertKind'];
export type AbuseAlertStatus = Schemas['AbuseAlertStatus'];

export const KINDS: Record<AbuseAlertKind, { label: string; meaning: string }> = {
  VELOCITY: { label: 'Velocity', meaning: 'More validations in an hour than the plan allows, from many addresses.' },
  GEO_SPREAD: { label: 'Geographic spread', meaning: 'One key used from more countries in a day than the plan allows.' },
  REFERRER_MISMATCH: { label: 'Referrer mismatch', meaning: 'Calls from web pages on a host other than the domain claimed or allowed.' },
  TRIAL_CYCLING: { label: 'Trial cycling', meaning: 'Several trials sharing a machine, an address, an e-mail or a card.' },
  KEY_SHARING: { label: 'Key sharing', meaning: 'More machines on one key in a week than the plan allows.' },
};
export const STATUSES: AbuseAlertStatus[] = ['OPEN', 'ACTED', 'DISMISSED'];

export interface AlertFilters {
  status?: AbuseAlertStatus;
  kind?: AbuseAlertKind;
}

/** One page of alerts, newest first; the previous page stays on screen while the next loads. */
export function useAbuseAlerts(filters: AlertFilters, cursor?: string) {
  return useQuery({
    queryKey: ['abuse-alerts', filters, cursor ?? null],
    queryFn: () => data(api.GET('/v1/abuse-alerts', { params: { query: { ...filters, cursor, limit: 25 } } })),
    placeholderData: keepPreviousData,
  });
}

export const useAbuseAlert = (id: string) =>
  useQuery({ queryKey: ['abuse-alert', id], queryFn: () => data(api.GET('/v1/abuse-alerts/{id}', { params: { path: { id } } })) });

export function useDismissAlert(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) => data(api.POST('/v1/abuse-alerts/{id}/dismiss', { params: { path: { id } }, body: { reason } })),
    onSuccess: (alert) => {
      queryClient.setQueryData(['abuse-alert', id], alert);
      void queryClient.invalidateQueries({ queryKey: ['abuse-alerts'] });
    },
  });
}
