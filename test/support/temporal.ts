import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ephemeralExecutable } from '../../lib/temporal-binaries.ts';
import { createLogger } from '../../lib/logger.ts';
import { freePort } from '../../lib/ports.ts';
import { portAccepts, stopChild } from '../../lib/temporal-dev-server.ts';
import { installTemporalRuntime } from '../../worker/temporal-runtime.ts';

export const testLogger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
// Before any connection exists: the SDK's logs go through pino (silent unless TEST_LOG_LEVEL).
installTemporalRuntime(testLogger);

export function uniqueTaskQueue(name: string): string {
  return `${name}-${randomBytes(4).toString('hex')}`;
}

/**
 * How long a launched server may take to accept connections. The SDK gives a server it launches
 * 5 s, fixed; a JVM starting on a loaded machine (other suites, other builds) can take longer.
 */
const SERVER_START_TIMEOUT_MS = 90_000;

/**
 * `TestWorkflowEnvironment.create` connects to an existing server with time skipping on (what
 * createTimeSkipping does after launching one). It is private in the typings of the pinned SDK
 * (1.24.0), public in its JavaScript; a call that no longer exists fails every workflow test at once.
 */
const connectTimeSkipping = (address: string) =>
  (TestWorkflowEnvironment as unknown as { create(options: object): Promise<TestWorkflowEnvironment> }).create({
    server: { type: 'existing' },
    address,
    namespace: 'default',
    supportsTimeSkipping: true,
  });

/**
 * The time-skipping server found by the global setup, launched here and waited for with a
 * generous deadline, then connected to as an existing server with time skipping on. Its
 * `teardown` also stops the server. Without a local server: the SDK's download and launch.
 */
export async function createTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const executable = process.env.TEST_TEMPORAL_TEST_SERVER_PATH;
  if (!executable) {
    return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: ephemeralExecutable({ name: 'test server', source: 'sdk-download' }) } });
  }
  const port = await freePort();
  const child = spawn(executable, [String(port)], { stdio: 'ignore' });
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`the time-skipping test server exited early (code ${code}, signal ${signal})`)));
    child.once('error', reject);
  });
  exited.catch(() => undefined);
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  try {
    for (;;) {
      const up = await Promise.race([portAccepts('127.0.0.1', port), exited]);
      if (up) {
        // Accepting TCP is not yet serving gRPC: the first connection may still be refused.
        const env = await connectTimeSkipping(`127.0.0.1:${port}`).catch((error: unknown) => {
          if (Date.now() > deadline) throw error;
          return undefined;
        });
        if (env) {
          const teardown = env.teardown.bind(env);
          env.teardown = async () => {
            await teardown();
            await stopChild(child);
          };
          return env;
        }
      }
      if (Date.now() > deadline) throw new Error(`the time-skipping test server did not accept connections on port ${port} within ${SERVER_START_TIMEOUT_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}
