import { Counter, Gauge, type Registry } from 'prom-client';
import type { UsageRecorder } from '../../domain/usage/usage-recorder.ts';

/** Usage capture's health, per API replica: what it holds, wrote, failed to write and dropped at the cap. */
export function registerUsageMetrics(registry: Registry, usage: UsageRecorder): void {
  const tally = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  tally('keywarden_usage_events_dropped_total', 'Client calls usage capture dropped because its in-memory aggregate was full (USAGE_BUFFER_MAX).', () => usage.dropped);
  tally('keywarden_usage_rows_written_total', 'Usage event rows written to Postgres (identical calls of one flush interval are one row).', () => usage.written);
  tally('keywarden_usage_flush_failures_total', 'Usage flushes that could not write (their rows are kept for the next flush).', () => usage.failedFlushes);
  new Gauge({
    name: 'keywarden_usage_buffered_rows',
    help: 'Distinct usage rows held in memory, waiting for the next flush.',
    registers: [registry],
    collect() {
      this.set(usage.buffered);
    },
  });
}
