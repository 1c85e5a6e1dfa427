import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import type { Logger } from '../lib/logger.ts';

let installed = false;

/**
 * Sends the Temporal SDK's own logs (worker state, bundling, workflow and activity loggers, and
 * the native core's, e.g. its gRPC retries while the server is away) through pino, at WARN and
 * above unless LOG_LEVEL asks for more. Once per process.
 */
export function installTemporalRuntime(logger: Logger): void {
  if (installed) return;
  installed = true;
  const sdkLogger = logger.child({ component: 'temporal-sdk' });
  const level = logger.isLevelEnabled('debug') ? 'DEBUG' : 'WARN';
  Runtime.install({
    logger: new DefaultLogger(level, (entry: LogEntry) => {
      const method = entry.level === 'TRACE' ? 'trace' : (entry.level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error');
      sdkLogger[method](entry.meta ?? {}, entry.message);
    }),
    // The core's own lines would otherwise go straight to the console, bypassing pino.
    telemetryOptions: { logging: { filter: { core: level, other: 'ERROR' }, forward: {} } },
  });
}
