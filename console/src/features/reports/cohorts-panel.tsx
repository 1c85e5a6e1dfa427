import { useMemo } from 'react';
import { EmptyState, Section, Table } from '@web/components';
import type { RenewalCohortsReport } from './api';
import { formatShare } from './format';
import { LineChart } from './line-chart';
import styles from './reports.module.css';

/** Terms ending per month and tier: renewed, churned, open, and the renewal rate (target above 80%). */
export function CohortsPanel({ report }: { report: RenewalCohortsReport }) {
  const months = useMemo(() => [...new Set(report.cohorts.map((c) => c.month))].sort(), [report]);
  const series = useMemo(
    () =>
      (['renewed', 'churned', 'open'] as const).map((outcome) => ({
        label: outcome[0]!.toUpperCase() + outcome.slice(1),
        values: months.map((month) => report.cohorts.filter((c) => c.month === month).reduce((sum, c) => sum + c[outcome], 0)),
      })),
    [report, months],
  );
  const x = useMemo(() => months.map((_, i) => i), [months]);
  const { totals } = report;
  if (!report.cohorts.length) return <EmptyState title="No terms end in this range">Perpetual licenses have no term end; widen the range to see renewals.</EmptyState>;
  return (
    <>
      <ul className={styles.cards} aria-label="Renewal totals">
        {(['due', 'renewed', 'churned', 'open'] as const).map((field) => (
          <li key={field} className={styles.card}>
            <h3 className={styles.cardTitle}>{field[0]!.toUpperCase() + field.slice(1)}</h3>
            <p className={styles.figure}>{totals[field]}</p>
          </li>
        ))}
        <li className={styles.card}>
          <h3 className={styles.cardTitle}>Renewal rate</h3>
          <p className={styles.figure}>{formatShare(totals.renewal_rate)}</p>
          <p className={styles.note}>Target above 80%.</p>
        </li>
      </ul>
      <Section title="Terms ending per month">
        <LineChart x={x} labels={months} series={series} summary={`Terms ending per month from ${months[0]} to ${months[months.length - 1]}: ${totals.renewed} renewed, ${totals.churned} churned, ${totals.open} open.`} />
        <Table
          caption="Renewal cohorts by month and tier"
          hideCaption
          rows={report.cohorts}
          rowKey={(c) => `${c.month}/${c.tier}`}
          columns={[
            { key: 'month', header: 'Month', cell: (c) => c.month },
            { key: 'tier', header: 'Tier', cell: (c) => c.tier },
            { key: 'due', header: 'Due', align: 'end', cell: (c) => c.due },
            { key: 'renewed', header: 'Renewed', align: 'end', cell: (c) => c.renewed },
            { key: 'churned', header: 'Churned', align: 'end', cell: (c) => c.churned },
            { key: 'open', header: 'Open', align: 'end', cell: (c) => c.open },
            { key: 'rate', header: 'Renewal rate', align: 'end', cell: (c) => formatShare(c.renewal_rate) },
          ]}
        />
      </Section>
    </>
  );
}
