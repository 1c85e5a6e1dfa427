import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/**
 * test/compose.test.ts on a machine without docker-compose, outside CI: it must fail and say
 * how to install it, never pass by skipping its checks. Runs that file alone in a child jest
 * whose PATH holds no docker-compose (and no global setup: the file needs no servers).
 */
describe('the compose-file checks without a docker-compose binary', () => {
  let emptyBin = '';
  beforeAll(() => {
    emptyBin = mkdtempSync(path.join(tmpdir(), 'keywarden-no-compose-'));
  });
  afterAll(() => rmSync(emptyBin, { recursive: true, force: true }));

  it('fail, naming the missing binary and how to install it', async () => {
    // The suite's own jest configuration (its transform), without the global setup, and with
    // Jest's own reporter only: the child's counts are not the suite's (bin/test-totals.ts).
    const { globalSetup: _setup, globalTeardown: _teardown, reporters: _reporters, ...config } = ((await import(path.join(repoRoot, 'jest.config.js'))) as { default: Record<string, unknown> }).default;
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: emptyBin };
    delete env.CI;
    delete env.DOCKER_COMPOSE_PATH;
    const run = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--experimental-vm-modules', path.join(repoRoot, 'node_modules/jest/bin/jest.js'), '--runInBand', '--ci', '--config', JSON.stringify({ ...config, rootDir: repoRoot }), '--runTestsByPath', path.join(repoRoot, 'test/compose.test.ts')],
        { cwd: repoRoot, env, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
      );
    });
    expect(run.output).toContain('docker-compose was not found on PATH');
    expect(run.output).toContain('apt-get install -y docker-compose');
    expect(run.output).toMatch(/Tests:\s+1 failed, 1 total/);
    expect(run.output).not.toMatch(/skipped/);
    expect(run.code).not.toBe(0);
  }, 120_000);
});
