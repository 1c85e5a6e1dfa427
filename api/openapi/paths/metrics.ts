import { operation } from '../operation.ts';

/** GET /metrics: Prometheus text exposition (api/metrics/). */
export const metricsPaths = {
  '/metrics': {
    get: operation({
      operationId: 'metrics',
      summary: 'Prometheus metrics',
      description:
        'The text exposition format (0.0.4) of this replica\'s metrics, all prefixed `keywarden_`: validations by code, activations by outcome, request durations by method, route pattern and status (the validate, activate and heartbeat client endpoints excluded), the validation cache (entries, hits, misses), outbox messages by status, and the process (CPU, memory, event loop, GC). Labels never carry keys, tokens, emails or ids. Needs a token with `licenses:read` unless the server runs with `METRICS_PUBLIC=true`, which serves it without one.',
      tag: 'meta',
      scope: 'licenses:read',
      responses: {
        200: {
          description: 'The metrics.',
          alternatives: { 'text/plain': { schema: { type: 'string', pattern: '^# HELP keywarden_' } } },
        },
      },
    }),
  },
};
