import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, data, type Schemas } from '@web/api/client';

export type LicenseSearchHit = Schemas['LicenseSearchHit'];
export type LicenseStatus = Schemas['LicenseStatus'];

/** The search box and its filters, as the URL keeps them. */
export interface SearchFilters {
  q?: string;
  status?: LicenseStatus;
  product?: string;
  plan?: string;
  tier?: string;
  expiring_within_days?: number;
  customer_id?: string;
}

/** Always by POST: the query may be a whole license key, which must stay out of URLs. */
export const searchLicenses = (filters: SearchFilters, cursor?: string, limit = 25) =>
  data(api.POST('/v1/licenses/search', { body: { ...filters, q: filters.q && filters.q.trim().length >= 2 ? filters.q.trim() : undefined, cursor, limit } }));

/** One page of licenses; the previous page stays on screen while the next loads. */
export function useLicenseSearch(filters: SearchFilters, cursor?: string) {
  return useQuery({ queryKey: ['license-search', filters, cursor ?? null], queryFn: () => searchLicenses(filters, cursor), placeholderData: keepPreviousData });
}

/** Products and plans, for the filters' choices (the first 100 of each: a catalog is small). */
export function useCatalog() {
  return useQuery({
    queryKey: ['catalog'],
    queryFn: async () => {
      const [products, plans] = await Promise.all([data(api.GET('/v1/products', { params: { query: { limit: 100 } } })), data(api.GET('/v1/plans', { params: { query: { limit: 100 } } }))]);
      return { products: products.data, plans: plans.data };
    },
    staleTime: 5 * 60_000,
  });
}

/** Where a search hit opens: its customer's account (with the license selected), or the license alone. */
export const hitPath = (hit: Pick<LicenseSearchHit, 'id' | 'customer'>) => (hit.customer ? `/accounts/${hit.customer.id}?license=${hit.id}` : `/licenses/${hit.id}`);

export const MATCHED_LABELS: Record<NonNullable<LicenseSearchHit['matched']>, string> = {
  key: 'Key',
  license_id: 'License id',
  customer_id: 'Customer id',
  stripe_customer: 'Stripe customer',
  stripe_subscription: 'Stripe subscription',
  stripe_checkout_session: 'Checkout session',
  stripe_payment_intent: 'Payment intent',
  key_hint: 'Key hint',
  email: 'E-mail',
  name: 'Name',
};
