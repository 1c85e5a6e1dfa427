import { pino, type Logger } from 'pino';

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

export function createLogger(level: string, name = 'keywarden'): Logger {
  return pino({ name, level, redact: { paths: redactedPaths, censor: '[redacted]' } });
}

export type { Logger };
