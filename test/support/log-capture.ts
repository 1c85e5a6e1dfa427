import { Writable } from 'node:stream';
import { pino } from 'pino';
import { redactedPaths, type Logger } from '../../lib/logger.ts';

export interface LogRecord {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A pino logger (with the app's redaction) whose records a test can read: what the server logged, and at which level. */
export function captureLogs(level = 'info'): { logger: Logger; records: LogRecord[]; atLeast(level: 'warn' | 'error'): LogRecord[] } {
  const records: LogRecord[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) records.push(JSON.parse(line) as LogRecord);
      done();
    },
  });
  const logger = pino({ name: 'keywarden-test', level, redact: { paths: redactedPaths, censor: '[redacted]' } }, sink);
  const levels = { warn: 40, error: 50 };
  return { logger, records, atLeast: (name) => records.filter((record) => record.level >= levels[name]) };
}
