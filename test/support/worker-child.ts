/**
 * A license worker in a process of its own, for tests that kill it (SIGKILL) mid-work: run by
 * worker-process.ts with the stack's database, Temporal address and task queue in its
 * environment. It prints `worker running` once it polls. No schedules: the dev server is shared.
 */
import { NativeConnection } from '@temporalio/worker';
import { createLogger } from '../../lib/logger.ts';
import { OUTREACH_WITHOUT_PROVIDERS } from '../../lib/outreach-config.ts';
import { openOrm } from '../../schema/orm.ts';
import { createLicenseWorker } from '../../worker/worker.ts';

const { TEST_CHILD_DATABASE_URL: url, TEST_CHILD_TEMPORAL_ADDRESS: address, TEST_CHILD_TASK_QUEUE: taskQueue } = process.env;
if (!url || !address || !taskQueue) throw new Error('worker-child.ts needs TEST_CHILD_DATABASE_URL, TEST_CHILD_TEMPORAL_ADDRESS and TEST_CHILD_TASK_QUEUE');
const orm = await openOrm({ url });
const connection = await NativeConnection.connect({ address });
const worker = await createLicenseWorker({
  connection,
  namespace: 'default',
  taskQueue,
  em: orm.em,
  logger: createLogger('warn', 'worker-child'),
  delivery: { outreach: OUTREACH_WITHOUT_PROVIDERS },
  callTimeoutMs: 30_000,
});
const running = worker.run();
console.log('worker running');
await running;
await orm.close(true);
