import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Where the client keeps what it needs offline: the last signed answers, the offline token,
 * and the latest time it has seen. Anything stored is verified again when read, so storage
 * need not be trusted for integrity; implement it over whatever the application has
 * (keychain, settings file, database).
 */
export interface ClientStorage {
  get(key: string): Promise<string | undefined> | string | undefined;
  set(key: string, value: string): Promise<void> | void;
  delete(key: string): Promise<void> | void;
}

/** Keeps everything in memory: lost when the process ends. The default. */
export class MemoryStorage implements ClientStorage {
  readonly #values = new Map<string, string>();
  get(key: string) {
    return this.#values.get(key);
  }
  set(key: string, value: string) {
    this.#values.set(key, value);
  }
  delete(key: string) {
    this.#values.delete(key);
  }
}

/** One JSON file, rewritten atomically (write, then rename) on every change. */
export class FileStorage implements ClientStorage {
  readonly #file: string;
  #values: Record<string, string> | undefined;

  constructor(file: string) {
    this.#file = file;
  }

  #read(): Record<string, string> {
    if (!this.#values) {
      try {
        this.#values = JSON.parse(readFileSync(this.#file, 'utf8')) as Record<string, string>;
      } catch {
        this.#values = {};
      }
    }
    return this.#values;
  }

  #write(): void {
    mkdirSync(path.dirname(this.#file), { recursive: true });
    const temporary = `${this.#file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.#values ?? {}), { mode: 0o600 });
    renameSync(temporary, this.#file);
  }

  get(key: string) {
    return this.#read()[key];
  }
  set(key: string, value: string) {
    this.#read()[key] = value;
    this.#write();
  }
  delete(key: string) {
    delete this.#read()[key];
    this.#write();
  }
}

/**
 * The storage slot of a per-key record (`license-refusal`, `key-rotated`): named by a digest of
 * the key's digest under the record's name, so the file never shows which key it is about.
 */
export const keyRecordSlot = (record: string, keyDigest: string): string =>
  `keywarden:${record}:v1:${createHash('sha256').update(`keywarden-${record}\n${keyDigest}`, 'utf8').digest('base64url')}`;
