import { Link } from 'react-router';
import { Section, StatusPill, Table } from '@web/components';
import type { RevenueLeakageReport } from './api';
import { formatAmount, formatMoney } from './format';
import styles from './reports.module.css';

const KINDS: Record<RevenueLeakageReport['summary'][number]['kind'], { title: string; units: string }> = {
  over_seat_limit: { title: 'Seats over the limit', units: 'extra seats' },
  refused_keys_validating: { title: 'Revoked, expired or suspended keys still validating', units: 'validations' },
  extra_domains: { title: 'Keys on more domains than the plan implies', units: 'extra domains' },
  extra_countries: { title: 'Keys used from more countries than the plan implies', units: 'extra countries' },
};

/** Each kind of leakage: a count, its units and its estimated monthly value, then the findings. */
export function LeakagePanel({ report }: { report: RevenueLeakageReport }) {
  return (
    <>
      <ul className={styles.cards} aria-label="Revenue leakage by kind">
        {report.summary.map((s) => (
          <li key={s.kind} className={styles.card}>
            <h3 className={styles.cardTitle}>{KINDS[s.kind].title}</h3>
            <p className={styles.figure}>{s.licenses} {s.licenses === 1 ? 'license' : 'licenses'}</p>
            <p className={styles.note}>
              {s.units} {KINDS[s.kind].units}; {formatMoney(s.monthly_value)} a month{s.unpriced ? ` (${s.unpriced} without a price)` : ''}.
            </p>
          </li>
        ))}
      </ul>
      <Section title="Findings">
        <Table
          caption="Revenue leakage findings"
          hideCaption
          rows={report.findings}
          rowKey={(f) => `${f.kind}/${f.license_id}`}
          empty="Nothing leaks in this range."
          columns={[
            { key: 'kind', header: 'Kind', cell: (f) => KINDS[f.kind].title },
            { key: 'license', header: 'License', cell: (f) => <Link to={`/licenses/${f.license_id}`}>{f.key_hint}</Link> },
            { key: 'customer', header: 'Customer', cell: (f) => f.customer_email ?? '—', wideOnly: true },
            { key: 'status', header: 'Status', cell: (f) => <StatusPill status={f.status} /> },
            { key: 'units', header: 'Units', align: 'end', cell: (f) => (f.allowed === null ? f.units : `${f.units} over ${f.allowed}`) },
            { key: 'days', header: 'For', align: 'end', cell: (f) => (f.days === null ? '—' : `${f.days} d`) },
            { key: 'value', header: 'A month', align: 'end', cell: (f) => formatAmount(f.monthly_value, f.currency) },
          ]}
        />
      </Section>
    </>
  );
}
