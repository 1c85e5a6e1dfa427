import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data, type Schemas } from '@web/api/client';

export type Message = Schemas['Message'];
export type MessageStatus = Schemas['MessageStatus'];
export type MessageChannel = Message['channel'];

export const MESSAGE_STATUSES: MessageStatus[] = ['FAILED', 'NOT_SENT', 'PENDING', 'SENT'];
/** Whose delivery ended unsent: a staff member may send these again. */
export const isRetryable = (message: Pick<Message, 'status'>) => message.status === 'FAILED' || message.status === 'NOT_SENT';

export interface OutboxFilters {
  status?: MessageStatus;
  channel?: MessageChannel;
  event?: string;
}

export const PAGE_SIZE = 25;

export const useMessages = (filters: OutboxFilters, cursor: string | undefined) =>
  useQuery({
    queryKey: ['outbox', filters, cursor],
    queryFn: () => data(api.GET('/v1/messages', { params: { query: { ...filters, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } } })),
    placeholderData: keepPreviousData,
  });

export const useMessage = (id: string | null) =>
  useQuery({ queryKey: ['outbox', 'message', id], queryFn: () => data(api.GET('/v1/messages/{id}', { params: { path: { id: id! } } })), enabled: Boolean(id) });

export function useRetryMessage() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => data(api.POST('/v1/messages/{id}/retry', { params: { path: { id } }, body: { reason } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['outbox'] }),
  });
}

/** A PENDING message waiting to try again: staff may ask its delivery to send now. */
export const isWaiting = (message: Pick<Message, 'status'>) => message.status === 'PENDING';

export function useSendMessageNow() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => data(api.POST('/v1/messages/{id}/send-now', { params: { path: { id } }, body: { reason } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['outbox'] }),
  });
}
