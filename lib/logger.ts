import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

/**
 * Paths pino must never print. License keys, tokens and secrets are redacted wherever they
 * appear in a logged object; request logs only ever carry the method, route and status.
 */
export const redactedPaths = [
  'key',
  '*.key',
  'license_key',
  '*.license_key',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'adminToken',
  'password',
  '*.password',
  // Staff identity: second factors, CSRF tokens, session cookies.
  'current_password',
  'new_password',
  'totp_code',
  'recovery_code',
  'recovery_codes',
  'csrf_token',
  'cookie',
  'headers.cookie',
  'req.headers.cookie',
];

/**
 * JSON lines (production, CI, anything that reads them); with `pretty`, coloured lines for a
 * person at a terminal (pino-pretty, in this thread, so the last lines before an exit are not lost).
 */
export function createLogger(level: string, name = 'keywarden', options: { pretty?: boolean } = {}): Logger {
  const settings = { name, level, redact: { paths: redactedPaths, censor: '[redacted]' } };
  if (!options.pretty) return pino(settings);
  return pino(settings, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true }));
}

export type { Logger };
