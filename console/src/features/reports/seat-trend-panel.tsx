import { useMemo } from 'react';
import { Link } from 'react-router';
import { EmptyState, Section, Table } from '@web/components';
import type { SeatTrendReport } from './api';
import { daySeconds, LineChart, type ChartSeries } from './line-chart';

type Series = SeatTrendReport['plans'][number] | SeatTrendReport['licenses'][number];

/** The days any series has a point on, and each series' seats on them (null where it has none). */
function aligned(list: { label: string; points: Series['points'] }[]): { days: string[]; series: ChartSeries[] } {
  const days = [...new Set(list.flatMap((s) => s.points.map((p) => p.day)))].sort();
  return { days, series: list.map((s) => ({ label: s.label, values: days.map((day) => s.points.find((p) => p.day === day)?.seats_in_use ?? null) })) };
}

function Trend({ title, list }: { title: string; list: { label: string; points: Series['points'] }[] }) {
  const { days, series } = useMemo(() => aligned(list), [list]);
  const x = useMemo(() => days.map(daySeconds), [days]);
  const last = days[days.length - 1];
  return (
    <Section title={title}>
      <LineChart x={x} series={series} summary={`${title}: ${series.map((s) => `${s.label} ${s.values[s.values.length - 1] ?? 'no'} seats on ${last}`).join('; ')}.`} />
      <Table
        caption={`${title}, by day`}
        hideCaption
        rows={days.slice(-14).reverse()}
        rowKey={(day) => day}
        columns={[{ key: 'day', header: 'Day (UTC)', cell: (day: string) => day }, ...series.map((s, i) => ({ key: `s${i}`, header: s.label, align: 'end' as const, cell: (day: string) => String(s.values[days.indexOf(day)] ?? '—') }))]}
      />
    </Section>
  );
}

/** Seats in use per day from the daily snapshots: per plan, and per license (the busiest, or the one asked for). */
export function SeatTrendPanel({ report }: { report: SeatTrendReport }) {
  const plans = useMemo(() => report.plans.map((p) => ({ label: `${p.product} · ${p.plan}`, points: p.points })), [report]);
  const licenses = useMemo(() => report.licenses.map((l) => ({ label: l.key_hint, points: l.points })), [report]);
  if (!report.plans.length) return <EmptyState title="No seat snapshots in this range">The seat-snapshot schedule records every license&apos;s seats once a day; choose a range it has run in.</EmptyState>;
  return (
    <>
      <Trend title="Seats in use per plan" list={plans} />
      <Trend title="Seats in use per license" list={licenses} />
      <p>
        Licenses charted:{' '}
        {report.licenses.map((l, i) => (
          <span key={l.license_id}>
            {i > 0 && ', '}
            <Link to={`/licenses/${l.license_id}`}>{l.key_hint}</Link>
          </span>
        ))}
      </p>
    </>
  );
}
