import { Counter, type Registry } from 'prom-client';

/**
 * A counter with one label whose values are known up front, counted as plain integers: the
 * hot path does `tally[value] += 1` and prom-client reads the tally on scrape (`collect()`).
 * A prom-client child (`counter.labels(value).inc()`) would hash and validate its labels on
 * every increment; this is one property store. Every value is exported from the start, at 0.
 */
export function tallyCounter<V extends string>(registry: Registry, options: { name: string; help: string; label: string; values: readonly V[] }): Record<V, number> {
  const tally = Object.fromEntries(options.values.map((value) => [value, 0])) as Record<V, number>;
  const { label, values } = options;
  new Counter({
    name: options.name,
    help: options.help,
    labelNames: [label],
    registers: [registry],
    collect() {
      this.reset();
      for (const value of values) this.inc({ [label]: value }, tally[value]);
    },
  });
  return tally;
}
