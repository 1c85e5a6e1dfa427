/**
 * Checks docker-compose.yml with the real `docker-compose config`: the file
 * parses, every required secret is enforced, and the whole stack is defined.
 *
 * Needs a docker-compose binary (Debian's v1 package, or a v2 standalone
 * binary), but no Docker engine: `config` only resolves the file.
 * The binary is DOCKER_COMPOSE_PATH, else `docker-compose` on PATH. Without one
 * the file fails, locally as in CI, saying how to install it (.ci/run installs it):
 * a check that cannot run must not pass by asserting nothing.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findComposeBinary } from './support/compose-binary.ts';

interface RunResult {
  code: number | string;
  stdout: string;
  stderr: string;
}

/** Variables docker-compose.yml refuses to resolve without. */
const requiredSecrets: Record<string, string> = {
  KEYWARDEN_SECRET: Buffer.alloc(32, 7).toString('base64'),
  POSTGRES_PASSWORD: 'dummy-postgres-password',
  KEYWARDEN_DB_PASSWORD: 'dummy-keywarden-password',
  TEMPORAL_DB_PASSWORD: 'dummy-temporal-password',
};

const expectedServices = ['postgres', 'temporal', 'temporal-ui', 'migrate', 'worker', 'api'];

/** The folder holding docker-compose.yml: the repository root, found from the working directory. */
function findRepoRoot(): string {
  let dir = process.cwd();
  for (;;) {
    if (existsSync(path.join(dir, 'docker-compose.yml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`docker-compose.yml not found from ${process.cwd()} upwards`);
    dir = parent;
  }
}

const found = findComposeBinary();
const composeBinary = 'path' in found ? found.path : undefined;
const repoRoot = findRepoRoot();
const composeFile = path.join(repoRoot, 'docker-compose.yml');

let scratchDir = '';
let emptyEnvFile = '';

/**
 * Runs docker-compose on the repository's compose file. The environment is the
 * current one without the stack's secrets and COMPOSE_* settings, plus `env`;
 * an empty --env-file keeps a developer's .env out of the result.
 */
function compose(args: string[], env: Record<string, string>): Promise<RunResult> {
  const childEnv: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key in requiredSecrets || key.startsWith('COMPOSE_')) continue;
    childEnv[key] = value;
  }
  Object.assign(childEnv, env);
  return new Promise((resolve) => {
    execFile(
      composeBinary!,
      ['--env-file', emptyEnvFile, '-f', composeFile, ...args],
      { cwd: repoRoot, env: childEnv, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (error.code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

function withoutKey(record: Record<string, string>, key: string): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => name !== key));
}

describe('docker-compose.yml', () => {
  if ('missing' in found) {
    it('has a docker-compose binary to validate the compose file with', () => {
      throw new Error(found.missing);
    });
    return;
  }

  beforeAll(() => {
    scratchDir = mkdtempSync(path.join(tmpdir(), 'keywarden-compose-'));
    emptyEnvFile = path.join(scratchDir, 'empty.env');
    writeFileSync(emptyEnvFile, '');
  });

  afterAll(() => {
    if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
  });

  it(
    'resolves cleanly, without warnings, when the required secrets are set',
    async () => {
      const result = await compose(['config'], requiredSecrets);
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
      expect(result.stderr).not.toMatch(/warn/i);
      expect(result.stdout).toMatch(/^services:/m);
    },
    60_000,
  );

  it(
    'defines the whole stack: postgres, temporal, temporal-ui, migrate, worker and api',
    async () => {
      const result = await compose(['config', '--services'], requiredSecrets);
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
      const services = result.stdout
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '');
      expect(services).toEqual(expect.arrayContaining(expectedServices));
    },
    60_000,
  );

  it(
    'passes the dummy secrets through to the Keywarden processes',
    async () => {
      const result = await compose(['config'], requiredSecrets);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(requiredSecrets.KEYWARDEN_SECRET);
      expect(result.stdout).toContain(
        `postgres://keywarden:${requiredSecrets.KEYWARDEN_DB_PASSWORD}@postgres:5432/keywarden`,
      );
    },
    60_000,
  );

  it(
    'passes TRUST_PROXY to the api (none by default: its port is published directly)',
    async () => {
      const unset = await compose(['config'], requiredSecrets);
      expect(unset.code).toBe(0);
      expect(unset.stdout).toMatch(/TRUST_PROXY: ['"]{2}/);
      const behindProxy = await compose(['config'], { ...requiredSecrets, TRUST_PROXY: '172.16.0.0/12' });
      expect(behindProxy.code).toBe(0);
      expect(behindProxy.stdout).toContain('TRUST_PROXY: 172.16.0.0/12');
    },
    60_000,
  );

  for (const secret of Object.keys(requiredSecrets)) {
    it(
      `refuses to resolve when ${secret} is missing`,
      async () => {
        const result = await compose(['config'], withoutKey(requiredSecrets, secret));
        expect(result.code).not.toBe(0);
        expect(result.stderr).toContain(secret);
      },
      60_000,
    );
  }

  it(
    'refuses to resolve when KEYWARDEN_SECRET is set but empty',
    async () => {
      const result = await compose(['config'], { ...requiredSecrets, KEYWARDEN_SECRET: '' });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('KEYWARDEN_SECRET');
    },
    60_000,
  );
});
