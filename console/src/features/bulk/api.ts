import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, data, type Schemas } from '@web/api/client';

export type BulkOperationRequest = Schemas['BulkOperationRequest'];
export type BulkOperationSpec = Schemas['BulkOperationSpec'];
export type BulkSelection = Schemas['BulkSelection'];
export type BulkPreview = Schemas['BulkOperationPreview'];
export type BulkOperation = Schemas['BulkOperation'];
export type BulkOperationWithResults = Schemas['BulkOperationWithResults'];
export type BulkItem = Schemas['BulkItem'];
export type BulkItemStatus = BulkItem['status'];

/** The dry run: what the operation would change, and what it would skip and why. */
export const usePreview = () =>
  useMutation({ mutationFn: (body: Omit<BulkOperationRequest, 'dry_run' | 'reason'>) => data(api.POST('/v1/bulk-operations', { body: { ...body, dry_run: true } })) as Promise<BulkPreview> });

/** Runs the operation (the preview's selection and change, with a reason). */
export const useStartBulk = () =>
  useMutation({ mutationFn: (body: BulkOperationRequest) => data(api.POST('/v1/bulk-operations', { body: { ...body, dry_run: false } })) as Promise<BulkOperation> });

export const useBulkOperations = (cursor?: string) =>
  useQuery({
    queryKey: ['bulk-operations', cursor ?? null],
    queryFn: () => data(api.GET('/v1/bulk-operations', { params: { query: { limit: 10, ...(cursor ? { cursor } : {}) } } })),
    placeholderData: keepPreviousData,
  });

const running = (operation: BulkOperation | undefined) => operation?.status === 'RUNNING' || operation?.status === 'CANCELLING';

/** One operation with a page of its results; polled every second while it runs. */
export const useBulkOperation = (id: string, page: { cursor?: string; status?: BulkItemStatus }) =>
  useQuery({
    queryKey: ['bulk-operation', id, page.cursor ?? null, page.status ?? null],
    queryFn: () => data(api.GET('/v1/bulk-operations/{id}', { params: { path: { id }, query: { limit: 50, ...(page.cursor ? { cursor: page.cursor } : {}), ...(page.status ? { status: page.status } : {}) } } })),
    refetchInterval: (query) => (running(query.state.data) ? 1000 : false),
    placeholderData: keepPreviousData,
  });

export const cancelBulkOperation = (id: string) => data(api.POST('/v1/bulk-operations/{id}/cancel', { params: { path: { id } } }));

/** Where the report downloads from (same origin: the session cookie goes with it). */
export const resultsCsvUrl = (id: string) => `/v1/bulk-operations/${id}/results.csv`;
