import type { EntityManager } from '@mikro-orm/postgresql';
import type { LifecycleClient } from '../../temporal/lifecycle-client.ts';

export interface ComponentState {
  status: 'up' | 'down';
  latency_ms?: number;
  error?: string;
}

async function probe(check: () => Promise<unknown>, timeoutMs: number): Promise<ComponentState> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'up', latency_ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 'down', error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** Postgres and Temporal, each probed with a deadline. */
export async function checkReadiness(em: EntityManager, temporal: Pick<LifecycleClient, 'ping'>, timeoutMs = 2000) {
  const [postgres, temporalState] = await Promise.all([
    probe(() => em.execute('select 1'), timeoutMs),
    probe(() => temporal.ping(), timeoutMs),
  ]);
  const ready = postgres.status === 'up' && temporalState.status === 'up';
  return { ready, components: { postgres, temporal: temporalState } };
}
