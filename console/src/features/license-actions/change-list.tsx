import { humanize } from '@web/lib/format';
import styles from './license-actions.module.css';

export interface FieldChange {
  /** A policy field (`seat_limit`, `policy.seat_limit`) or a metadata key (`metadata.renewal_value`). */
  field: string;
  from: unknown;
  to: unknown;
}

const NAMES: Record<string, string> = { seat_limit: 'Seats', features: 'Features', allowed_domains: 'Allowed domains', allowed_cidrs: 'Allowed networks', reminder_offsets_days: 'Renewal reminders (days before)' };

function value(field: string, shown: unknown): string {
  if (shown === null || shown === undefined) return field === 'seat_limit' ? 'unlimited' : '—';
  if (Array.isArray(shown)) return shown.length ? shown.join(', ') : 'none';
  if (typeof shown === 'object') return JSON.stringify(shown);
  return String(shown);
}

/** Features as what is added (+), removed (−) and changed, not two JSON objects. */
function featureDelta(from: unknown, to: unknown): string {
  const before = (from ?? {}) as Record<string, unknown>;
  const after = (to ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  for (const name of Object.keys(after).sort()) {
    if (!(name in before)) parts.push(`+ ${after[name] === true ? name : `${name} ${String(after[name])}`}`);
    else if (JSON.stringify(before[name]) !== JSON.stringify(after[name])) parts.push(`${name} ${String(before[name])} → ${String(after[name])}`);
  }
  for (const name of Object.keys(before).sort()) if (!(name in after)) parts.push(`− ${name}`);
  return parts.join('; ') || 'unchanged';
}

/** What a change does, field by field, in words: "Seats: 10 → unlimited", "Features: + sso; projects 25 → 100". */
export function ChangeList({ changes }: { changes: FieldChange[] }) {
  return (
    <ul className={styles.changes} aria-label="What changes">
      {changes.map(({ field, from, to }) => {
        const metadata = field.startsWith('metadata.');
        const name = field.replace(/^policy\./, '');
        return (
          <li key={field}>
            {metadata ? <code>{field}</code> : <strong>{NAMES[name] ?? humanize(name.toUpperCase())}</strong>}: {name === 'features' ? featureDelta(from, to) : `${value(name, from)} → ${value(name, to)}`}
          </li>
        );
      })}
    </ul>
  );
}
