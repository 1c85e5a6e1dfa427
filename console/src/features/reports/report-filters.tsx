import { useEffect, useState } from 'react';
import { Button, DateField, Select } from '@web/components';
import { ApiError } from '@web/api/api-error';
import { useCatalog } from '../search/api';
import type { ReportFilters } from './api';
import styles from './reports.module.css';

/** One catalog filter: any, or one of the choices (a value from the URL that is not among them stays, so its refusal can show). */
function Choice(props: { label: string; any: string; value?: string; choices: [string, string][]; onChange: (value: string | undefined) => void; error?: string; disabled: boolean }) {
  const { value, choices } = props;
  return (
    <Select label={props.label} value={value ?? ''} onChange={(e) => props.onChange(e.target.value || undefined)} error={props.error} disabled={props.disabled}>
      <option value="">{props.any}</option>
      {value && !choices.some(([code]) => code === value) && <option value={value}>{value}</option>}
      {choices.map(([code, name]) => (
        <option key={code} value={code}>
          {name}
        </option>
      ))}
    </Select>
  );
}

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
      <Choice label="Product" any="Any product" value={filters.product} choices={products.map((p) => [p.code, p.name])} onChange={(product) => set({ product, plan: undefined })} error={message('product')} disabled={catalog.isPending} />
      <Choice label="Plan" any="Any plan" value={filters.plan} choices={plans.map((code) => [code, code])} onChange={(plan) => set({ plan })} error={message('plan')} disabled={catalog.isPending} />
      <Choice label="Tier" any="Any tier" value={filters.tier} choices={tiers.map((tier) => [tier, tier])} onChange={(tier) => set({ tier })} error={message('tier')} disabled={catalog.isPending} />
    </form>
  );
}
