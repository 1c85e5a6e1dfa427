import { ConfigError, loadConfig, type Config } from './config.ts';

/**
 * A problem with the machine rather than the settings (a missing prerequisite, a folder the
 * database server cannot reach). Its message says why and what to do.
 */
export class SetupError extends Error {
  override name = 'SetupError';
}

/** Errors whose message is the whole story for the person at the terminal: no stack helps. */
export function isOneLineError(error: unknown): error is ConfigError | SetupError {
  return error instanceof ConfigError || error instanceof SetupError;
}

/** `keywarden: <message>` on stderr, on one line whatever the message holds. */
export function printOneLine(error: Error): void {
  process.stderr.write(`keywarden: ${error.message.replace(/\s*\n\s*/g, ' ').trim()}\n`);
}

/**
 * The configuration of an entry point (bin/*.ts). An invalid setting ends the process here,
 * before anything started, with one line that names the setting and what to do.
 */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!isOneLineError(error)) throw error;
    printOneLine(error);
    process.exit(1);
  }
}
