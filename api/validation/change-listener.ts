import pg from 'pg';

export interface ChangeListenerOptions {
  url: string;
  channels: string[];
  notify(channel: string, payload: string | undefined): void;
  /** LISTEN is in effect on every channel (at start, and after each reconnection). */
  up(): void;
  /** The connection was lost after `up` (not called for a failed attempt to reconnect). */
  down(error?: Error): void;
  /** How long to wait before each attempt to reconnect (default 1 s). */
  retryMs?: number;
}

/**
 * One Postgres connection that LISTENs on the given channels for the validation cache, and
 * reconnects on its own, every `retryMs`, until closed. The first connection is start()'s to
 * report (it throws); later ones are retried quietly: the owner hears `down` once per loss and
 * `up` once it is back.
 */
export class ChangeListener {
  readonly #options: ChangeListenerOptions;
  #client: pg.Client | undefined;
  #listening = false;
  #started = false;
  #closed = false;
  #retry: NodeJS.Timeout | undefined;

  constructor(options: ChangeListenerOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    await this.#connect();
    this.#started = true;
  }

  async #connect(): Promise<void> {
    // A server that accepts connections but never answers must not stall reconnection for good.
    const client = new pg.Client({ connectionString: this.#options.url, connectionTimeoutMillis: 5_000 });
    client.on('notification', (message) => this.#options.notify(message.channel, message.payload));
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client));
    this.#client = client;
    try {
      await client.connect();
      for (const channel of this.#options.channels) await client.query(`listen ${channel}`);
    } catch (error) {
      this.#lost(client, error as Error);
      throw error;
    }
    // Lost again already: the next attempt is scheduled.
    if (this.#client !== client) return;
    this.#listening = true;
    this.#options.up();
  }

  #lost(client: pg.Client, error?: Error): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    void client.end().catch(() => undefined);
    if (this.#listening) {
      this.#listening = false;
      if (!this.#closed) this.#options.down(error);
    }
    if (this.#closed || !this.#started) return;
    this.#retry = setTimeout(() => void this.#connect().catch(() => undefined), this.#options.retryMs ?? 1000);
    this.#retry.unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#listening = false;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }
}
