import { rmSync } from 'node:fs';
import type { RunningPostgres } from '../../lib/embedded-postgres.ts';
import type { RunningDevServer } from '../../lib/temporal-dev-server.ts';

export default async function globalTeardown(): Promise<void> {
  const servers = (globalThis as Record<string, unknown>).__keywardenTestServers as
    | { postgres: RunningPostgres; temporal: RunningDevServer }
    | undefined;
  await servers?.temporal.stop();
  await servers?.postgres.stop();
  if (process.env.TEST_ROOT) rmSync(process.env.TEST_ROOT, { recursive: true, force: true });
}
