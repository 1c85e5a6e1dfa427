import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { Logger } from '../../lib/logger.ts';
import { LifecycleClient } from '../../temporal/lifecycle-client.ts';
import { messageWorkflowId } from '../../workflows/message-delivery.workflow.ts';
import { sweepPendingDeliveries } from '../../worker/pending-deliveries.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { insertLicense, testSecret } from '../support/licenses.ts';
import { uniqueTaskQueue } from '../support/temporal.ts';

/**
 * The outbox sweep shares the worker's Temporal connection and the database pool: when the
 * worker stops, a sweep in progress must be over before either closes. It used to run on and
 * log a gRPC error after "stopped worker" (issue 14, bench gaps).
 */
describe('the pending-delivery sweep at shutdown', () => {
  let db: TestDatabase;
  let connection: Connection;
  beforeAll(async () => {
    db = await createTestDatabase();
    connection = await Connection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
  });
  afterAll(async () => {
    await connection?.close().catch(() => undefined);
    await db?.drop();
  });

  it('stops between two messages and resolves stop() only once the sweep is over, so the connection closes cleanly', async () => {
    const { license } = await insertLicense(db.orm.em, testSecret());
    const ids = Array.from({ length: 20 }, () => randomUUID());
    for (const [index, id] of ids.entries()) {
      await db.orm.em.fork().execute(
        `insert into outbox_message (id, license_id, event, channel, idempotency_key, recipient, payload, status, attempts, created_at, updated_at)
         values (?, ?, 'license_issued', 'customerio', ?, 'ada@example.com', '{}', 'PENDING', 0, now() - interval '10 minutes' + ? * interval '1 second', now())`,
        [id, license.id, `sweep-test:${id}`, index],
      );
    }
    const logs: Array<{ level: string; fields: unknown; message: string }> = [];
    const record = (level: string) => (fields: unknown, message: string) => logs.push({ level, fields, message });
    const logger = { info: record('info'), warn: record('warn'), error: record('error') } as unknown as Logger;

    // The first start waits for the test: stop() is called while it is in flight.
    const client = new Client({ connection });
    const start = client.workflow.start.bind(client.workflow);
    let inFlight!: () => void;
    const firstInFlight = new Promise<void>((resolve) => (inFlight = resolve));
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const started: string[] = [];
    client.workflow.start = (async (...args: Parameters<typeof start>) => {
      started.push(args[1].workflowId);
      if (started.length === 1) {
        inFlight();
        await gate;
      }
      return start(...args);
    }) as typeof start;

    const sweeper = sweepPendingDeliveries({ em: db.orm.em, deliveries: new LifecycleClient({ client, em: db.orm.em, taskQueue: uniqueTaskQueue('sweep') }), logger, intervalMs: 60_000 });
    await firstInFlight;
    const stopped = sweeper.stop();
    openGate();
    await stopped;

    // The message in flight was started, no other; the sweep said so before stop() resolved.
    expect(started).toEqual([messageWorkflowId(ids[0]!)]);
    expect(logs).toEqual([{ level: 'info', fields: { started: 1 }, message: 'started deliveries of pending outbox messages' }]);
    await expect(client.workflow.getHandle(messageWorkflowId(ids[0]!)).describe()).resolves.toBeDefined();

    // Closing the connection now cuts nothing off, and nothing starts after it.
    await connection.close();
    await sweeper.stop();
    expect(logs.filter((log) => log.level !== 'info')).toEqual([]);
    expect(started).toHaveLength(1);
  });
});
