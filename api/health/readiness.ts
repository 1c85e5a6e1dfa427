import type { EntityManager } from '@mikro-orm/postgresql';
import type { LifecycleClient } from '../../temporal/lifecycle-client.ts';
import type { DatabaseOutage } from './database-outage.ts';

export interface ComponentState {
  status: 'up' | 'down';
  latency_ms?: number;
  error?: string;
  /** Postgres only: since when this process has seen it unreachable. */
  since?: string;
}

async function probe(check: () => Promise<unknown>, timeoutMs: number): Promise<{ state: ComponentState; fault?: unknown }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { state: { status: 'up', latency_ms: Math.round(performance.now() - started) } };
  } catch (error) {
    return { state: { status: 'down', error: (error as Error).message }, fault: error };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Postgres and Temporal, each probed with a deadline. The Postgres probe feeds the process's
 * outage tracker (an answer ends an outage; an unreachable server begins one), and a Postgres
 * that is down says since when.
 */
export async function checkReadiness(em: EntityManager, temporal: Pick<LifecycleClient, 'ping'>, timeoutMs = 2000, outage?: DatabaseOutage) {
  const [postgresProbe, temporalProbe] = await Promise.all([
    probe(() => em.execute('select 1'), timeoutMs),
    probe(() => temporal.ping(), timeoutMs),
  ]);
  const postgres = postgresProbe.state;
  if (postgres.status === 'up') outage?.recovered();
  else if (outage?.report(postgresProbe.fault)) postgres.since = outage.state!.since.toISOString();
  const ready = postgres.status === 'up' && temporalProbe.state.status === 'up';
  return { ready, components: { postgres, temporal: temporalProbe.state } };
}
