import type { EntityManager } from '@mikro-orm/postgresql';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from '../../lib/logger.ts';
import { OUTBOX_STATUSES } from '../../schema/outbox/outbox-message.entity.ts';
import type { Rejection } from '../../domain/seats/locked-license.ts';
import { isDatabaseUnavailable } from '../../lib/database-unavailable.ts';
import type { LicenseCache } from '../validation/license-cache.ts';
import { ACTIVATION_REJECTION_CODES, VALIDATION_CODES, type ValidationCode } from '../../domain/licenses/validation-codes.ts';
import { tallyCounter } from './tally-counter.ts';
import { registerUsageMetrics } from './usage-metrics.ts';
import { registerAbuseMetrics } from './abuse-metrics.ts';
import type { UsageRecorder } from '../../domain/usage/usage-recorder.ts';

/** What an activation came to: a new seat, a device already active, or the refusal's code. */
export type ActivationOutcome = 'created' | 'existing' | Rejection['code'];
const ACTIVATION_OUTCOMES: readonly ActivationOutcome[] = ['created', 'existing', 'NOT_FOUND', ...ACTIVATION_REJECTION_CODES];

/**
 * The API's Prometheus metrics, in a registry of their own (one per app: tests build several
 * apps in one process). Labels only ever carry codes, outcomes, methods, route patterns and
 * statuses: never a key, token, email or id.
 */
export class ApiMetrics {
  readonly registry: Registry;
  /** Validations by answer code; the validate route adds 1 (a plain integer, see tallyCounter). */
  readonly validations: Record<ValidationCode, number>;
  /** Activations by outcome. */
  readonly activations: Record<ActivationOutcome, number>;
  /** Admin and other non-hot routes (api/metrics/request-duration.ts). */
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(deps: { registry?: Registry; em: EntityManager; cache: LicenseCache; logger: Logger; usage?: UsageRecorder }) {
    const registry = (this.registry = deps.registry ?? new Registry());
    collectDefaultMetrics({ register: registry, prefix: 'keywarden_' });
    this.validations = tallyCounter(registry, {
      name: 'keywarden_validations_total',
      help: 'License validations answered, by validation code.',
      label: 'code',
      values: Object.keys(VALIDATION_CODES) as ValidationCode[],
    });
    this.activations = tallyCounter(registry, {
      name: 'keywarden_activations_total',
      help: 'Activation requests answered, by outcome: created, existing (already active), or the refusal code.',
      label: 'outcome',
      values: ACTIVATION_OUTCOMES,
    });
    this.httpDuration = new Histogram({
      name: 'keywarden_http_request_duration_seconds',
      help: 'HTTP request duration by method, matched route pattern and status (client validate/activate/heartbeat excluded: see their counters).',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    });

    if (deps.usage) registerUsageMetrics(registry, deps.usage);
    registerAbuseMetrics(registry, deps.em, deps.logger);
    const { cache, em, logger } = deps;
    new Gauge({
      name: 'keywarden_validation_cache_entries',
      help: 'Licenses in this replica\'s validation cache.',
      registers: [registry],
      collect() {
        this.set(cache.size);
      },
    });
    new Counter({
      name: 'keywarden_validation_cache_hits_total',
      help: 'Validation cache look-ups that found the license (while the cache is on).',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(cache.hits);
      },
    });
    new Counter({
      name: 'keywarden_validation_cache_misses_total',
      help: 'Validation cache look-ups that went to Postgres (while the cache is on).',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(cache.misses);
      },
    });
    new Counter({
      name: 'keywarden_validation_stale_answers_total',
      help: 'Validations answered from a license\'s last known state because Postgres could not be read (VALIDATION_STALE_ON_ERROR_SECONDS).',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(cache.staleAnswers);
      },
    });
    new Gauge({
      name: 'keywarden_outbox_messages',
      help: 'Outbox messages by delivery status (counted in Postgres on each scrape).',
      labelNames: ['status'],
      registers: [registry],
      async collect() {
        try {
          const rows = await em.getConnection().execute<{ status: string; count: number }[]>('select status, count(*)::int as count from outbox_message group by status');
          const counts = new Map(rows.map((row) => [row.status, row.count]));
          this.reset();
          for (const status of OUTBOX_STATUSES) this.set({ status }, counts.get(status) ?? 0);
        } catch (error) {
          // The rest of the scrape still answers; no sample beats a stale one.
          this.reset();
          // An unreachable Postgres is logged once, by the outage tracker, not on every scrape.
          if (!isDatabaseUnavailable(error)) logger.warn({ err: (error as Error).message }, 'metrics: could not count outbox messages');
        }
      },
    });
  }
}
