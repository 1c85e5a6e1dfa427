import { useEffect, useState } from 'react';
import { Button, DateField, Select } from '@web/components';
import { ApiError } from '@web/api/api-error';
import { useCatalog } from '../search/api';
import type { ReportFilters } from './api';
import styles from './reports.module.css';

/**
 * The range (applied with the button, so a half-typed date is never sent) and the product, plan
 * and tier (applied when chosen). A refused range or filter shows its message under the field.
 */
export function ReportFiltersBar({ filters, error, onChange }: { filters: ReportFilters; error: unknown; onChange: (filters: ReportFilters) => void }) {
  const catalog = useCatalog();
  const [range, setRange] = useState({ from: filters.from ?? '', to: filters.to ?? '' });
  useEffect(() => setRange({ from: filters.from ?? '', to: filters.to ?? '' }), [filters.from, filters.to]);
  const problem = error instanceof ApiError ? error : null;
  const message = (field: string) => problem?.fieldMessage(field) && `${problem.fieldMessage(field)}${problem.code === 'REPORT_RANGE_TOO_LONG' ? ` (${problem.detail})` : ''}`;
  const products = catalog.data?.products ?? [];
  const productId = products.find((p) => p.code === filters.product)?.id;
  const plans = [...new Set((catalog.data?.plans ?? []).filter((p) => !productId || p.product_id === productId).map((p) => p.code))].sort();
  const tiers = [...new Set((catalog.data?.plans ?? []).map((p) => p.tier))].sort();
  const set = (change: Partial<ReportFilters>) => onChange({ ...filters, ...change });

  return (
    <form
      className={styles.filters}
      aria-label="Report filters"
      onSubmit={(event) => {
        event.preventDefault();
        set({ from: range.from || undefined, to: range.to || undefined });
      }}
    >
      <DateField label="From" value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })} error={message('from')} />
      <DateField label="To" value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })} error={message('to')} />
      <Button type="submit" size="sm">
        Apply range
      </Button>
      <Select label="Product" value={filters.product ?? ''} onChange={(e) => set({ product: e.target.value || undefined, plan: undefined })} error={message('product')} disabled={catalog.isPending}>
        <option value="">Any product</option>
        {filters.product && !products.some((p) => p.code === filters.product) && <option value={filters.product}>{filters.product}</option>}
        {products.map((p) => (
          <option key={p.id} value={p.code}>
            {p.name}
          </option>
        ))}
      </Select>
      <Select label="Plan" value={filters.plan ?? ''} onChange={(e) => set({ plan: e.target.value || undefined })} error={message('plan')} disabled={catalog.isPending}>
        <option value="">Any plan</option>
        {filters.plan && !plans.includes(filters.plan) && <option value={filters.plan}>{filters.plan}</option>}
        {plans.map((code) => (
          <option key={code} value={code}>
            {code}
          </option>
        ))}
      </Select>
      <Select label="Tier" value={filters.tier ?? ''} onChange={(e) => set({ tier: e.target.value || undefined })} error={message('tier')} disabled={catalog.isPending}>
        <option value="">Any tier</option>
        {filters.tier && !tiers.includes(filters.tier) && <option value={filters.tier}>{filters.tier}</option>}
        {tiers.map((tier) => (
          <option key={tier} value={tier}>
            {tier}
          </option>
        ))}
      </Select>
    </form>
  );
}
