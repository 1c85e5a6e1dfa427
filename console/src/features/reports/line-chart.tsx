import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import styles from './reports.module.css';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

const DAY = 86_400;
const DAY_INCREMENTS = [DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY, 91 * DAY];

/** The palette's series colours (tokens.css has no chart scale; these pass 3:1 against white). */
const COLOURS = ['#2456c9', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0e7490', '#a16207', '#be185d'];

/**
 * A uPlot line chart of series over `x` (UTC days as seconds, or category indexes with
 * `labels`), sized to its box (it follows the box when the window changes). Screen readers
 * get `summary` (the figures are in the table beside it).
 */
export function LineChart({ x, series, summary, labels, height = 260 }: { x: number[]; series: ChartSeries[]; summary: string; labels?: string[]; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = box.current;
    if (!node) return;
    const width = () => Math.max(280, node.clientWidth);
    const chart = new uPlot(
      {
        width: width(),
        height,
        scales: { x: { time: !labels } },
        // Days are UTC days: ticks fall on UTC midnights and read as MM-DD.
        tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
        axes: [
          labels
            ? { values: (_u, ticks) => ticks.map((t) => labels[t] ?? ''), incrs: [1] }
            : { incrs: DAY_INCREMENTS, values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toISOString().slice(5, 10)) },
          { size: 56 },
        ],
        series: [
          {},
          ...series.map((s, index) => ({
            label: s.label,
            stroke: COLOURS[index % COLOURS.length],
            width: 2,
            points: { show: x.length < 40 },
          })),
        ],
        legend: { live: false },
      },
      [x, ...series.map((s) => s.values)] as uPlot.AlignedData,
      node,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: width(), height }));
    resize.observe(node);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [x, series, labels, height]);
  return <div ref={box} className={styles.chart} role="img" aria-label={summary} />;
}

/** A UTC day (YYYY-MM-DD) as uPlot's x value (seconds). */
export const daySeconds = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;
