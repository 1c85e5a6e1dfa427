import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data, type Schemas } from '@web/api/client';

export type StripeEvent = Schemas['StripeEventRecord'];
export type StripeEventStatus = Schemas['StripeEventStatus'];

export const STRIPE_EVENT_STATUSES: StripeEventStatus[] = ['FAILED', 'DEFERRED', 'RECEIVED', 'PROCESSING', 'PROCESSED', 'IGNORED'];
/** An event being acted on right now cannot be replayed until it settles (409 STRIPE_EVENT_BUSY). */
export const isReplayable = (event: Pick<StripeEvent, 'status'>) => event.status !== 'PROCESSING';

export interface StripeEventFilters {
  status?: StripeEventStatus;
  type?: string;
}

export const PAGE_SIZE = 25;

export const useStripeEvents = (filters: StripeEventFilters, cursor: string | undefined) =>
  useQuery({
    queryKey: ['stripe-events', filters, cursor],
    queryFn: () => data(api.GET('/v1/stripe/events', { params: { query: { ...filters, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } } })),
    placeholderData: keepPreviousData,
  });

export function useReplayStripeEvent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => data(api.POST('/v1/stripe/events/{id}/replay', { params: { path: { id } }, body: { reason } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['stripe-events'] }),
  });
}
