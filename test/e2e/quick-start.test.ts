import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../lib/ports.ts';
import { eventually } from '../support/poll.ts';

/**
 * `npm start` as a user runs it: the real entry point in a child process, with its own data
 * folder and ports, the Temporal CLI dev server and embedded Postgres it starts itself.
 */
describe('quick start (npm start): the whole stack in one command', () => {
  // Private (0700), as root's home is: as root, Postgres must still reach its folder in it.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keywarden-start-'));
  let ports: { api: number; temporal: number; ui: number; postgres: number };
  let child: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    ports = { api: await freePort(), temporal: await freePort(), ui: await freePort(), postgres: await freePort() };
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  function start(): Promise<string> {
    output = '';
    child = spawn(process.execPath, ['bin/start.ts'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        KEYWARDEN_DATA_DIR: dataDir,
        KEYWARDEN_TOOLS_DIR: path.resolve(process.env.KEYWARDEN_TOOLS_DIR ?? '.tools'),
        TEMPORAL_CLI_PATH: process.env.TEST_TEMPORAL_CLI_PATH || undefined,
        PORT: String(ports.api),
        TEMPORAL_DEV_PORT: String(ports.temporal),
        TEMPORAL_UI_PORT: String(ports.ui),
        EMBEDDED_POSTGRES_PORT: String(ports.postgres),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return eventually(() => (output.includes('Press Ctrl-C to stop.') ? output : undefined), {
      timeoutMs: 90_000,
      what: 'the start-up banner',
    }).catch((error) => {
      throw new Error(`${(error as Error).message}\n--- output ---\n${output}`);
    });
  }

  function stop(): Promise<number | null> {
    const running = child!;
    return new Promise((resolve) => {
      running.once('exit', (code) => resolve(code));
      running.kill('SIGINT');
    });
  }

  async function call(method: string, urlPath: string, body?: unknown, token?: string, headers: Record<string, string> = {}) {
    const response = await fetch(`http://127.0.0.1:${ports.api}${urlPath}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as any };
  }

  let adminToken = '';
  let revokedKey = '';
  let activeKey = '';
  let activeId = '';

  it('starts Postgres, Temporal with its Web UI, the worker and the API, and prints where they are', async () => {
    const banner = await start();
    expect(banner).toContain(`API           http://localhost:${ports.api}`);
    expect(banner).toContain(`Temporal UI   http://127.0.0.1:${ports.ui}`);
    expect(banner).toContain(`127.0.0.1:${ports.postgres}/keywarden`);
    // No staff yet: a one-time link sets up the first owner, who signs in and makes a token.
    const setupLink = /Set-up link\s+(\S+)/.exec(banner)?.[1] ?? '';
    expect(setupLink).toMatch(new RegExp(`^http://localhost:${ports.api}/admin/link#token=kwl_`));
    const token = new URL(setupLink).hash.replace('#token=', '');
    const owner = { email: 'owner@example.com', name: 'Olive Owner', password: 'a long and uncommon passphrase' };
    expect((await call('POST', '/v1/staff-links/redeem', { token, ...owner })).status).toBe(200);
    expect((await call('POST', '/v1/staff-links/redeem', { token, ...owner })).body.code).toBe('LINK_ALREADY_USED');
    const signedIn = await call('POST', '/v1/sessions', { email: owner.email, password: owner.password });
    expect(signedIn.body.staff.role).toBe('owner');
    const cookie = signedIn.headers.getSetCookie()[0]!.split(';')[0]!;
    const created = await call('POST', '/v1/api-tokens', { name: 'quick-start', scopes: ['admin'] }, undefined, {
      cookie,
      origin: `http://localhost:${ports.api}`,
      'x-csrf-token': signedIn.body.csrf_token,
    });
    expect(created.status).toBe(201);
    adminToken = created.body.token;
    expect(adminToken).toMatch(/^kwa_/);

    expect((await call('GET', '/readyz')).status).toBe(200);
    const ui = await fetch(`http://127.0.0.1:${ports.ui}/`);
    expect(ui.status).toBe(200);
  });

  it('serves the slice: create, validate, revoke', async () => {
    const product = await call('POST', '/v1/products', { code: 'acme', name: 'Acme' }, adminToken);
    const plan = await call('POST', '/v1/plans', { product_id: product.body.id, code: 'pro', name: 'Pro', tier: 'pro', seat_limit: 3 }, adminToken);
    expect(plan.status).toBe(201);
    const revoked = await call('POST', '/v1/licenses', { plan_id: plan.body.id, customer: { email: 'ada@example.com' } }, adminToken);
    expect(revoked.status).toBe(201);
    revokedKey = revoked.body.key;
    expect((await call('POST', '/v1/validate', { key: revokedKey })).body.code).toBe('VALID');
    expect((await call('POST', `/v1/licenses/${revoked.body.id}/revoke`, { reason: 'refund' }, adminToken)).status).toBe(200);
    expect((await call('POST', '/v1/validate', { key: revokedKey })).body.code).toBe('REVOKED');

    const active = await call('POST', '/v1/licenses', { plan_id: plan.body.id, customer: { email: 'grace@example.com' } }, adminToken);
    expect((await call('POST', '/v1/activate', { key: active.body.key, fingerprint: 'laptop' })).status).toBe(201);
    activeKey = active.body.key;
    activeId = active.body.id;
  });

  it('stops everything cleanly on Ctrl-C', async () => {
    expect(await stop()).toBe(0);
    expect(output).toMatch(/stopped Postgres/);
    expect(output).toMatch(/stopped Temporal dev server/);
    await expect(fetch(`http://127.0.0.1:${ports.api}/healthz`)).rejects.toThrow();
  });

  it('finds the data where it left it on the next start', async () => {
    const banner = await start();
    expect(banner).not.toContain(adminToken);
    expect(banner).not.toMatch(/Set-up link/);
    expect(banner).toMatch(/Staff\s+sign in at \/v1\/sessions/);
    expect((await call('POST', '/v1/validate', { key: revokedKey })).body.code).toBe('REVOKED');
    expect((await call('POST', '/v1/validate', { key: activeKey, fingerprint: 'laptop' })).body).toMatchObject({
      valid: true,
      code: 'VALID',
      license: { current_activations: 1 },
    });
    expect((await call('GET', `/v1/licenses/${activeId}`, undefined, adminToken)).status).toBe(200);

    const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
    try {
      const description = await new Client({ connection }).workflow.getHandle(`license-${activeId}`).describe();
      expect(description.status.name).toBe('RUNNING');
    } finally {
      await connection.close();
    }
    expect(await stop()).toBe(0);
  });
});
