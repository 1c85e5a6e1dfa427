import { rmSync } from 'node:fs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { RunningPostgres } from '../../lib/embedded-postgres.ts';

export default async function globalTeardown(): Promise<void> {
  const servers = (globalThis as Record<string, unknown>).__keywardenTestServers as
    | { postgres: RunningPostgres; temporal: TestWorkflowEnvironment }
    | undefined;
  await servers?.temporal.teardown();
  await servers?.postgres.stop();
  if (process.env.TEST_ROOT) rmSync(process.env.TEST_ROOT, { recursive: true, force: true });
}
