import type { EntityManager } from '@mikro-orm/postgresql';
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../../lib/logger.ts';
import { isDatabaseUnavailable } from '../../lib/database-unavailable.ts';
import { ABUSE_ALERT_KINDS, ABUSE_ALERT_STATUSES } from '../../schema/abuse/abuse-alert.entity.ts';

/** Abuse alerts by kind and status, counted in Postgres on each scrape (every pair exported, at 0 when none). */
export function registerAbuseMetrics(registry: Registry, em: EntityManager, logger: Logger): void {
  new Gauge({
    name: 'keywarden_abuse_alerts',
    help: 'Abuse alerts by kind and status (OPEN, DISMISSED, ACTED), counted in Postgres on each scrape.',
    labelNames: ['kind', 'status'],
    registers: [registry],
    async collect() {
      try {
        const rows = await em.getConnection().execute<{ kind: string; status: string; count: number }[]>(
          'select kind, status, count(*)::int as count from abuse_alert group by kind, status',
        );
        const counts = new Map(rows.map((row) => [`${row.kind}/${row.status}`, row.count]));
        this.reset();
        for (const kind of ABUSE_ALERT_KINDS) for (const status of ABUSE_ALERT_STATUSES) this.set({ kind, status }, counts.get(`${kind}/${status}`) ?? 0);
      } catch (error) {
        this.reset();
        if (!isDatabaseUnavailable(error)) logger.warn({ err: (error as Error).message }, 'metrics: could not count abuse alerts');
      }
    },
  });
}
