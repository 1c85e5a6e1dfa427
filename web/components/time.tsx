import { formatDate, formatDateTime, formatRelative, formatUtc } from '../lib/format';

/**
 * A moment in the viewer's own time zone, its UTC form on hover (`title`), machine-readable
 * in `dateTime`. `relative` adds "in 3 days"; `dateOnly` drops the time of day.
 */
export function Time({ value, relative = false, dateOnly = false, empty = '—' }: { value: string | null | undefined; relative?: boolean; dateOnly?: boolean; empty?: string }) {
  if (!value) return <span>{empty}</span>;
  const shown = dateOnly ? formatDate(value) : formatDateTime(value);
  return (
    <time dateTime={value} title={formatUtc(value)}>
      {shown}
      {relative && <span className="muted"> ({formatRelative(value)})</span>}
    </time>
  );
}
