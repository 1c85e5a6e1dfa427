import { z } from 'zod';
import { responseSchema } from '../registry.ts';

/** Mirrors api/health/health.routes.ts and readiness.ts. */
export const Liveness = responseSchema('Liveness', z.object({ status: z.literal('ok') }), 'The process is up.');

const ComponentState = responseSchema(
  'ComponentState',
  z.object({
    status: z.enum(['up', 'down']),
    latency_ms: z.number().int().min(0).optional().describe('When up: how long the probe took.'),
    error: z.string().optional().describe('When down: why.'),
    since: z.iso.datetime().optional().describe('Postgres, when down: since when this server has seen it unreachable (requests that need it answer 503 DATABASE_UNAVAILABLE meanwhile).'),
  }),
);

export const Readiness = responseSchema(
  'Readiness',
  z.object({
    status: z.enum(['ready', 'not_ready']),
    components: z.object({ postgres: ComponentState, temporal: ComponentState }),
  }),
  'ready (HTTP 200) when Postgres and Temporal both answer in time; not_ready (HTTP 503) otherwise.',
);
