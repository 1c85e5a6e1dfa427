import { Link } from 'react-router';
import { Section, Table } from '@web/components';
import { formatNumber } from '@web/lib/format';
import type { UtilizationReport } from './api';
import { formatShare } from './format';
import styles from './reports.module.css';

/** A share as a labelled bar (a meter), for the per-plan active share. */
function Meter({ value, label }: { value: number | null; label: string }) {
  return (
    <span className={styles.meter} role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={value === null ? 0 : Math.round(value * 100)} aria-valuetext={formatShare(value)}>
      <span className={styles.meterFill} style={{ width: `${Math.min(100, Math.round((value ?? 0) * 100))}%` }} />
    </span>
  );
}

/** Issued vs active (summary and per plan), then seat utilization per license and per customer. */
export function UtilizationPanel({ report }: { report: UtilizationReport }) {
  const { summary } = report;
  return (
    <>
      <ul className={styles.cards} aria-label="Issued and active licenses">
        <li className={styles.card}>
          <h3 className={styles.cardTitle}>Issued</h3>
          <p className={styles.figure}>{formatNumber(summary.issued)}</p>
          <p className={styles.note}>Issued by {report.range.to}, not revoked or expired.</p>
        </li>
        <li className={styles.card}>
          <h3 className={styles.cardTitle}>Active</h3>
          <p className={styles.figure}>{formatNumber(summary.active)}</p>
          <p className={styles.note}>Validated in the {report.range.days} days of the range.</p>
        </li>
        <li className={styles.card}>
          <h3 className={styles.cardTitle}>Active vs issued</h3>
          <p className={styles.figure}>{formatShare(summary.active_share)}</p>
          <p className={styles.note}>Target above 70%.</p>
        </li>
      </ul>
      <Section title="Per plan">
        <Table
          caption="Issued and active licenses per plan"
          hideCaption
          rows={report.plans}
          rowKey={(p) => `${p.product}/${p.plan}`}
          empty="No licenses issued in this range."
          columns={[
            { key: 'plan', header: 'Plan', cell: (p) => `${p.product} · ${p.plan}` },
            { key: 'tier', header: 'Tier', cell: (p) => p.tier, wideOnly: true },
            { key: 'issued', header: 'Issued', align: 'end', cell: (p) => formatNumber(p.issued) },
            { key: 'active', header: 'Active', align: 'end', cell: (p) => formatNumber(p.active) },
            { key: 'share', header: 'Active share', cell: (p) => (
              <span className={styles.meterCell}>
                <Meter value={p.active_share} label={`Active share of ${p.plan}`} /> {formatShare(p.active_share)}
              </span>
            ) },
          ]}
        />
      </Section>
      <Section title="Seat utilization per license">
        <Table
          caption="Seats in use per license, the most used first"
          hideCaption
          rows={report.licenses}
          rowKey={(l) => l.license_id}
          empty="No licenses."
          columns={[
            { key: 'license', header: 'License', cell: (l) => <Link to={`/licenses/${l.license_id}`}>{l.key_hint}</Link> },
            { key: 'customer', header: 'Customer', cell: (l) => l.customer_email ?? '—' },
            { key: 'plan', header: 'Plan', cell: (l) => l.plan, wideOnly: true },
            { key: 'seats', header: 'Seats', align: 'end', cell: (l) => `${l.seats_in_use} / ${l.seat_limit ?? '∞'}` },
            { key: 'utilization', header: 'Utilization', align: 'end', cell: (l) => formatShare(l.utilization) },
          ]}
        />
      </Section>
      <Section title="Seat utilization per customer">
        <Table
          caption="Seats in use per customer"
          hideCaption
          rows={report.customers}
          rowKey={(c) => c.customer_id}
          empty="No customers."
          columns={[
            { key: 'customer', header: 'Customer', cell: (c) => <Link to={`/accounts/${c.customer_id}`}>{c.email}</Link> },
            { key: 'licenses', header: 'Licenses', align: 'end', cell: (c) => formatNumber(c.licenses) },
            { key: 'seats', header: 'Seats', align: 'end', cell: (c) => `${c.seats_in_use} / ${c.seat_limit ?? '∞'}` },
            { key: 'utilization', header: 'Utilization', align: 'end', cell: (c) => formatShare(c.utilization) },
          ]}
        />
      </Section>
    </>
  );
}
