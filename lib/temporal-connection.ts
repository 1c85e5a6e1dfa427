import { Client, Connection } from '@temporalio/client';
import type { Config } from './config.ts';

export interface TemporalTarget {
  address: string;
  namespace: string;
  apiKey?: string;
  tls?: Config['temporal']['tls'];
}

/** The cluster Keywarden talks to: TEMPORAL_ADDRESS, or the local dev server's port. */
export function temporalTarget(config: Config): TemporalTarget {
  return {
    address: config.temporal.address ?? `127.0.0.1:${config.temporal.devPort}`,
    namespace: config.temporal.namespace,
    apiKey: config.temporal.apiKey,
    tls: config.temporal.tls,
  };
}

/**
 * A client whose connection is made on first use (and again after a loss): a process that serves
 * without Temporal (the API's validations) starts while Temporal is down.
 */
export function lazyClient(target: TemporalTarget): Client {
  const connection = Connection.lazy({
    address: target.address,
    tls: target.tls ?? (target.apiKey ? true : undefined),
    apiKey: target.apiKey,
  });
  return new Client({ connection, namespace: target.namespace });
}

export async function connectClient(target: TemporalTarget): Promise<Client> {
  const connection = await Connection.connect({
    address: target.address,
    tls: target.tls ?? (target.apiKey ? true : undefined),
    apiKey: target.apiKey,
  });
  return new Client({ connection, namespace: target.namespace });
}
