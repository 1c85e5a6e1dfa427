import { ConfigError, type Config } from './config.ts';
import { ServerSecret } from './server-secret.ts';

/**
 * The server secret: KEYWARDEN_SECRET, or (outside production) one kept in the data folder.
 * Production refuses to guess, since losing the secret makes every stored key unusable.
 */
export function resolveServerSecret(config: Config): { secret: ServerSecret; created: boolean } {
  if (config.secret) return { secret: ServerSecret.fromBase64(config.secret), created: false };
  if (config.env === 'production') {
    throw new ConfigError('KEYWARDEN_SECRET is required in production (openssl rand -base64 32); keep it safe: it cannot be rotated without re-keying');
  }
  return ServerSecret.loadOrCreate(config.dataDir);
}

export function requireDatabaseUrl(config: Config, fallback?: string): string {
  const url = config.database.url ?? fallback;
  if (!url) throw new ConfigError('DATABASE_URL is required when the API or worker runs on its own (npm start runs an embedded Postgres)');
  return url;
}

/** Resolves when the process is asked to stop (Ctrl-C, or SIGTERM from an orchestrator). */
export function untilShutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
