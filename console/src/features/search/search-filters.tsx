import { Button, Select } from '@web/components';
import { humanize } from '@web/lib/format';
import { useCatalog, type LicenseStatus, type SearchFilters } from './api';
import { hasFilters, STATUSES } from './search-params';
import styles from './search.module.css';

const WINDOWS = [7, 14, 30, 60, 90, 365];

/** Status, product, plan, tier and expiry window: each applies as soon as it is chosen. */
export function SearchFiltersBar({ filters, onChange }: { filters: SearchFilters; onChange: (filters: SearchFilters) => void }) {
  const catalog = useCatalog();
  const products = catalog.data?.products ?? [];
  const productId = products.find((product) => product.code === filters.product)?.id;
  const plans = (catalog.data?.plans ?? []).filter((plan) => !productId || plan.product_id === productId);
  const planCodes = [...new Set(plans.map((plan) => plan.code))].sort();
  const tiers = [...new Set((catalog.data?.plans ?? []).map((plan) => plan.tier))].sort();
  const set = (change: Partial<SearchFilters>) => onChange({ ...filters, ...change });

  return (
    <fieldset className={styles.filters}>
      <legend className="visually-hidden">Filters</legend>
      <Select label="Status" value={filters.status ?? ''} onChange={(e) => set({ status: (e.target.value || undefined) as LicenseStatus | undefined })}>
        <option value="">Any status</option>
        {STATUSES.map((status) => (
          <option key={status} value={status}>
            {humanize(status)}
          </option>
        ))}
      </Select>
      <Select label="Product" value={filters.product ?? ''} onChange={(e) => set({ product: e.target.value || undefined, plan: undefined })} disabled={catalog.isPending}>
        <option value="">Any product</option>
        {products.map((product) => (
          <option key={product.id} value={product.code}>
            {product.name}
          </option>
        ))}
      </Select>
      <Select label="Plan" value={filters.plan ?? ''} onChange={(e) => set({ plan: e.target.value || undefined })} disabled={catalog.isPending}>
        <option value="">Any plan</option>
        {planCodes.map((code) => (
          <option key={code} value={code}>
            {plans.find((plan) => plan.code === code)?.name ?? code}
          </option>
        ))}
      </Select>
      <Select label="Tier" value={filters.tier ?? ''} onChange={(e) => set({ tier: e.target.value || undefined })} disabled={catalog.isPending}>
        <option value="">Any tier</option>
        {tiers.map((tier) => (
          <option key={tier} value={tier}>
            {tier}
          </option>
        ))}
      </Select>
      <Select
        label="Expiring"
        value={filters.expiring_within_days === undefined ? '' : String(filters.expiring_within_days)}
        onChange={(e) => set({ expiring_within_days: e.target.value === '' ? undefined : Number(e.target.value) })}
      >
        <option value="">Any time</option>
        {WINDOWS.map((days) => (
          <option key={days} value={days}>
            Within {days} days
          </option>
        ))}
      </Select>
      {hasFilters(filters) && (
        <Button size="sm" variant="ghost" className={styles.clear} onClick={() => onChange({ q: filters.q })}>
          Clear filters
        </Button>
      )}
      {catalog.isError && <p className={styles.hint}>The catalog could not be loaded: product, plan and tier choices are missing.</p>}
    </fieldset>
  );
}
