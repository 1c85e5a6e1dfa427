import { Client } from '@temporalio/client';
import { EntityManager } from '@mikro-orm/postgresql';
import { LifecycleUnavailable } from '../../domain/lifecycle/lifecycle-unavailable.ts';
import { LifecycleClient } from '../../temporal/lifecycle-client.ts';

/** A client whose calls settle only when the test says: a Temporal that answers after the deadline. */
function lateClient() {
  const pending: Array<() => void> = [];
  const client = {
    withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn(),
    connection: {
      workflowService: {
        getSystemInfo: () => new Promise<void>((resolve) => pending.push(resolve)),
      },
    },
  } as unknown as Client;
  return { client, settleAll: () => pending.splice(0).forEach((resolve) => resolve()) };
}

describe('a Temporal call answered at its deadline', () => {
  it('is answered LifecycleUnavailable on time, and drain() waits until the call itself has settled', async () => {
    const late = lateClient();
    const lifecycle = new LifecycleClient({ client: late.client, em: {} as EntityManager, taskQueue: 'q', callTimeoutMs: 50 });

    await expect(lifecycle.ping()).rejects.toBeInstanceOf(LifecycleUnavailable);

    let drained = false;
    const draining = lifecycle.drain().then(() => {
      drained = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The call still runs (the SDK may still be retrying it): closing the connection now would
    // leave its retry to fire on a closed channel.
    expect(drained).toBe(false);

    late.settleAll();
    await draining;
    expect(drained).toBe(true);
  });

  it('drains at once when nothing is in flight', async () => {
    const late = lateClient();
    const lifecycle = new LifecycleClient({ client: late.client, em: {} as EntityManager, taskQueue: 'q', callTimeoutMs: 50 });
    await lifecycle.drain();
  });
});
