/** The benchmark's measurements and its results table. */

export interface Measurement {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  /** Responses received; `sent - total` were still unanswered when the run ended. */
  total: number;
  sent: number;
  seconds: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Server process CPU (user + system) during the run, in ms, and its event-loop utilisation. */
  serverCpuMs?: number;
  serverElu?: number;
  /** The load generator's own CPU during the run, in cores (it shares the machine with the server). */
  loadCpu?: number;
}

export function fmt(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export interface Row {
  endpoint: Measurement;
  noopBefore: Measurement;
  noopAfter: Measurement;
  target: string;
  verdict?: boolean;
}

export function table(rows: Row[]): string {
  const header = ['endpoint', 'req/s', 'p50 ms', 'p99 ms', 'no-op req/s', 'no-op p50', 'no-op p99', 'ratio', 'CPU µs/req', 'no-op CPU', 'CPU ratio', 'target', 'result'];
  const body = rows.map((row) => {
    const noopRps = (row.noopBefore.rps + row.noopAfter.rps) / 2;
    const noopCpuMs = (row.noopBefore.serverCpuMs ?? 0) + (row.noopAfter.serverCpuMs ?? 0);
    const noopTotal = row.noopBefore.total + row.noopAfter.total;
    const noopCpu = noopTotal ? (noopCpuMs * 1000) / noopTotal : undefined;
    const endpointCpu = row.endpoint.total && row.endpoint.serverCpuMs !== undefined ? (row.endpoint.serverCpuMs * 1000) / row.endpoint.total : undefined;
    return [
      row.endpoint.label,
      fmt(row.endpoint.rps, 0),
      fmt(row.endpoint.p50, 1),
      fmt(row.endpoint.p99, 1),
      fmt(noopRps, 0),
      fmt((row.noopBefore.p50 + row.noopAfter.p50) / 2, 1),
      fmt((row.noopBefore.p99 + row.noopAfter.p99) / 2, 1),
      `${fmt((row.endpoint.rps / noopRps) * 100, 1)}%`,
      cpuPerRequest(row.endpoint),
      noopCpu === undefined ? '-' : fmt(noopCpu, 0),
      noopCpu === undefined || endpointCpu === undefined ? '-' : `${fmt((noopCpu / endpointCpu) * 100, 1)}%`,
      row.target,
      row.verdict === undefined ? '-' : row.verdict ? 'PASS' : 'FAIL',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 || i >= 11 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** Server CPU per response, in µs: much less sensitive to noisy neighbours than req/s. */
export function cpuPerRequest(run: Measurement): string {
  if (run.serverCpuMs === undefined || run.total === 0) return '-';
  return fmt((run.serverCpuMs * 1000) / run.total, 0);
}

/**
 * The floors beside the cache-hit validation: what the machine gives a no-op at the same
 * connections with none of our middleware, and with no framework at all.
 */
export function floorsTable(floors: Measurement[], endpoint: Measurement): string {
  const rows = [...floors, endpoint].map((run) => [run.label, fmt(run.rps, 0), fmt(run.p50, 1), fmt(run.p99, 1), run.loadCpu === undefined ? '-' : `${fmt(run.loadCpu * 100, 0)}%`]);
  const header = ['run', 'req/s', 'p50 ms', 'p99 ms', 'load generator CPU'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
