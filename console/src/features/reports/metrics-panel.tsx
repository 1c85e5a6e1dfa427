import { Badge } from '@web/components';
import type { LicensingMetricsReport } from './api';
import { formatDecimal, formatShare } from './format';
import styles from './reports.module.css';

type Metric = LicensingMetricsReport['metrics'][number];

const value = (m: Pick<Metric, 'unit'>, v: number | null) => (m.unit === 'share' ? formatShare(v) : m.unit === 'hours' ? (v === null ? '—' : `${formatDecimal(v)} h`) : v === null ? '—' : `${formatDecimal(v)} : 1`);

/** The article's five metrics as cards: the figure, its target, whether it meets it, and what it is computed from. */
export function MetricsPanel({ report }: { report: LicensingMetricsReport }) {
  return (
    <ul className={styles.cards} aria-label="Licensing metrics">
      {report.metrics.map((m) => (
        <li key={m.metric} className={styles.card}>
          <h3 className={styles.cardTitle}>{m.label}</h3>
          <p className={styles.figure}>{value(m, m.value)}</p>
          <p className={styles.target}>
            Target {m.target.op} {value(m, m.target.value)}{' '}
            {m.meets === null ? <Badge tone="neutral">No data</Badge> : m.meets ? <Badge tone="success">Meets target</Badge> : <Badge tone="danger">Below target</Badge>}
          </p>
          <p className={styles.note}>
            {m.numerator !== null && m.denominator ? `${m.numerator} ${m.unit === 'ratio' ? 'over' : 'of'} ${m.denominator}. ` : ''}
            {m.note}
          </p>
        </li>
      ))}
    </ul>
  );
}
