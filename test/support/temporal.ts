import { randomBytes } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ephemeralExecutable } from '../../lib/temporal-binaries.ts';
import { createLogger } from '../../lib/logger.ts';
import { installTemporalRuntime } from '../../worker/temporal-runtime.ts';
import { launchTimeSkippingEnvironment } from './time-skipping-server.ts';

export const testLogger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
// Before any connection exists: the SDK's logs go through pino (silent unless TEST_LOG_LEVEL).
installTemporalRuntime(testLogger);

export function uniqueTaskQueue(name: string): string {
  return `${name}-${randomBytes(4).toString('hex')}`;
}

/** The time-skipping server found by the global setup, started here (see launchTimeSkippingEnvironment), or the SDK's download. */
export function createTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const path = process.env.TEST_TEMPORAL_TEST_SERVER_PATH;
  if (path) return launchTimeSkippingEnvironment(path);
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: ephemeralExecutable({ name: 'test server', source: 'sdk-download' }) } });
}
