const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** `83.3%`, or an em dash when there is nothing to measure. */
export const formatShare = (value: number | null | undefined) => (value === null || value === undefined ? '—' : percent.format(value));
export const formatDecimal = (value: number | null | undefined) => (value === null || value === undefined ? '—' : decimal.format(value));

/** `1,234.50 USD` per currency, joined. */
export function formatMoney(values: Record<string, number>): string {
  const entries = Object.entries(values);
  if (!entries.length) return '—';
  return entries.map(([currency, amount]) => new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount)).join(' + ');
}

export const formatAmount = (amount: number | null, currency: string | null) => (amount === null || !currency ? '—' : new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount));
