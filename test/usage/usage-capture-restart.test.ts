import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../lib/ports.ts';
import { ServerSecret } from '../../lib/server-secret.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { insertLicense } from '../support/licenses.ts';
import { eventually } from '../support/poll.ts';
import { randomBytes } from 'node:crypto';

const FLUSH_INTERVAL_MS = 1_000;

/**
 * The API process (`npm run api`) killed without warning and started again: usage capture loses
 * at most what was recorded since its last flush (one USAGE_FLUSH_INTERVAL), never anything
 * flushed before, and a graceful stop flushes what it holds.
 */
describe('usage capture across an API restart', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kw-usage-restart-'));
  const secretBytes = randomBytes(32);
  let db: TestDatabase;
  let api: ChildProcess | undefined;
  let port: number;
  let key: string;
  let licenseId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const inserted = await insertLicense(db.orm.em, new ServerSecret(secretBytes));
    key = inserted.key;
    licenseId = inserted.license.id;
    port = await freePort();
  });
  afterAll(async () => {
    if (api && api.exitCode === null && api.signalCode === null) api.kill('SIGKILL');
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function startApi(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['bin/api.ts'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: db.url,
        KEYWARDEN_SECRET: secretBytes.toString('base64'),
        KEYWARDEN_DATA_DIR: dataDir,
        // Never dialled: the client endpoints do not touch Temporal.
        TEMPORAL_ADDRESS: '127.0.0.1:1',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        USAGE_FLUSH_INTERVAL: `${FLUSH_INTERVAL_MS}ms`,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await eventually(async () => ((await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok ? true : undefined), { timeoutMs: 60_000, what: 'the API to answer /healthz' });
    return child;
  }

  /** `n` validations, each naming its phase in `domain` so the rows tell the phases apart. */
  async function validate(phase: string, n: number) {
    for (let i = 0; i < n; i += 1) {
      const response = await fetch(`http://127.0.0.1:${port}/v1/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key, domain: `${phase}.example.com` }) });
      expect(response.status).toBe(200);
    }
  }
  const recorded = async (): Promise<Record<string, number>> => {
    const rows = await db.orm.em.fork().getConnection().execute<{ domain: string; calls: number }[]>(
      `select domain, sum(count)::int as calls from usage_event where license_id = ? group by domain`,
      [licenseId],
    );
    return Object.fromEntries(rows.map((row) => [row.domain.split('.')[0]!, row.calls]));
  };
  const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

  it('loses at most the calls since the last flush when killed, and nothing on a graceful stop', async () => {
    api = await startApi();
    // Written by the interval, without any shutdown.
    await validate('before', 50);
    await eventually(async () => ((await recorded()).before === 50 ? true : undefined), { timeoutMs: 30_000, what: 'the first calls to be flushed' });
    // Calls after that flush, then SIGKILL: no chance to flush.
    await validate('unflushed', 20);
    api.kill('SIGKILL');
    await exited(api);

    api = await startApi();
    await validate('after', 30);
    api.kill('SIGTERM');
    await exited(api);
    expect(api.exitCode).toBe(0);

    const calls = await recorded();
    // Everything flushed before the crash survived; the restarted API recorded and flushed on stop.
    expect(calls.before).toBe(50);
    expect(calls.after).toBe(30);
    // Only calls of the last flush interval can be missing (a flush may have caught some of them).
    expect(calls.unflushed ?? 0).toBeLessThanOrEqual(20);
  });
});
