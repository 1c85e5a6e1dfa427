import type { LicenseStatus, SearchFilters } from './api';

export const STATUSES: LicenseStatus[] = ['ACTIVE', 'TRIALING', 'PAST_DUE', 'SUSPENDED', 'EXPIRED', 'REVOKED'];

/** The search's state lives in the URL (`?q=ada&status=ACTIVE`): shareable, and Back works. */
export function filtersFrom(params: URLSearchParams): SearchFilters {
  const status = params.get('status');
  const days = Number(params.get('expiring_within_days'));
  return {
    q: params.get('q') ?? undefined,
    status: status && (STATUSES as string[]).includes(status) ? (status as LicenseStatus) : undefined,
    product: params.get('product') || undefined,
    plan: params.get('plan') || undefined,
    tier: params.get('tier') || undefined,
    expiring_within_days: params.get('expiring_within_days') && Number.isInteger(days) && days >= 0 ? days : undefined,
  };
}

export function paramsFrom(filters: SearchFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value !== undefined && value !== '') params.set(name, String(value));
  return params;
}

export const hasFilters = (filters: SearchFilters) => Boolean(filters.status || filters.product || filters.plan || filters.tier || filters.expiring_within_days !== undefined);

/** A whole license key (`KW-71X6-…`, any case, spaces or not): searched for, never written into the URL. */
export const looksLikeKey = (text: string) => /^KWT?-?([0-9A-Z]{4}-?){6}$/i.test(text.replace(/\s+/g, ''));
