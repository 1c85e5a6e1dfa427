import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data, type Schemas } from '@web/api/client';

export type Product = Schemas['Product'];
export type Plan = Schemas['Plan'];
export type PlanEditPreview = Schemas['PlanEditPreview'];
export type PlanEdit = Omit<Schemas['UpdatePlanRequest'], 'dry_run'>;

/** Products and their plans (the first 100 of each: a catalog is small). */
export const useProducts = () => useQuery({ queryKey: ['catalog', 'products'], queryFn: () => data(api.GET('/v1/products', { params: { query: { limit: 100 } } })) });
export const usePlans = () => useQuery({ queryKey: ['catalog', 'plans'], queryFn: () => data(api.GET('/v1/plans', { params: { query: { limit: 100 } } })) });
export const usePlan = (id: string) => useQuery({ queryKey: ['catalog', 'plan', id], queryFn: () => data(api.GET('/v1/plans/{id}', { params: { path: { id } } })) });

/** What an edit would do (the API validates it as it would the edit): nothing changes. */
export const previewPlanEdit = async (id: string, edit: PlanEdit) =>
  (await data(api.PATCH('/v1/plans/{id}', { params: { path: { id } }, body: { ...edit, dry_run: true } }))) as PlanEditPreview;

export function useSavePlan(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (edit: PlanEdit & { reason?: string }) => (await data(api.PATCH('/v1/plans/{id}', { params: { path: { id } }, body: { ...edit, dry_run: false } }))) as Plan,
    onSuccess: (plan) => {
      queryClient.setQueryData(['catalog', 'plan', id], plan);
      void queryClient.invalidateQueries({ queryKey: ['catalog', 'plans'] });
      void queryClient.invalidateQueries({ queryKey: ['catalog'], exact: true });
    },
  });
}

export function useCreateProduct() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['CreateProductRequest']) => data(api.POST('/v1/products', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['catalog'] }),
  });
}

export function useCreatePlan() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['CreatePlanRequest']) => data(api.POST('/v1/plans', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['catalog'] }),
  });
}

export type AbusePolicy = Schemas['AbusePolicy'];
export type AbusePolicyRequest = Schemas['AbusePolicyRequest'];

/** A plan's abuse thresholds and action (the defaults where the plan sets nothing). */
export const useAbusePolicy = (planId: string) =>
  useQuery({ queryKey: ['catalog', 'plan', planId, 'abuse-policy'], queryFn: () => data(api.GET('/v1/abuse-policies/{id}', { params: { path: { id: planId } } })) });

/** Replaces them (every field sent: one left out would take its default). */
export function useSaveAbusePolicy(planId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AbusePolicyRequest) => data(api.PUT('/v1/abuse-policies/{id}', { params: { path: { id: planId } }, body })),
    onSuccess: (policy) => queryClient.setQueryData(['catalog', 'plan', planId, 'abuse-policy'], policy),
  });
}
