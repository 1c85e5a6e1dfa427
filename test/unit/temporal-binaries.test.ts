import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ephemeralExecutable, resolveTemporalCli, resolveTestServer } from '../../lib/temporal-binaries.ts';

function fakeExecutable(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, '#!/bin/sh\nexit 0\n');
  chmodSync(file, 0o755);
  return file;
}

describe('finding the Temporal binaries without the internet', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kw-bins-'));
  const toolsDir = path.join(root, 'tools');
  const pathDir = path.join(root, 'on-path');
  const envCli = fakeExecutable(path.join(root, 'env'), 'temporal');
  const pathCli = fakeExecutable(pathDir, 'temporal');
  const cachedCli = fakeExecutable(path.join(toolsDir, 'bin'), 'temporal');
  const emptyPath = path.join(root, 'nothing-here');

  it('prefers a path from the environment', async () => {
    expect(await resolveTemporalCli({ toolsDir, envPath: envCli, searchPath: pathDir })).toMatchObject({ source: 'env', path: envCli });
  });

  it('then one on PATH', async () => {
    expect(await resolveTemporalCli({ toolsDir, searchPath: pathDir })).toMatchObject({ source: 'path', path: pathCli });
  });

  it('then one already built into the tools folder', async () => {
    expect(await resolveTemporalCli({ toolsDir, searchPath: emptyPath })).toMatchObject({ source: 'tools', path: cachedCli });
  });

  it('falls back to the SDK’s own download when nothing is found and nothing can be built', async () => {
    const resolved = await resolveTemporalCli({ toolsDir: path.join(root, 'empty-tools'), searchPath: emptyPath });
    expect(resolved).toMatchObject({ source: 'sdk-download', detail: 'go is not installed' });
    expect(ephemeralExecutable(resolved)).toEqual({ type: 'cached-download' });
    const testServer = await resolveTestServer({ toolsDir: path.join(root, 'empty-tools'), searchPath: emptyPath });
    expect(testServer).toMatchObject({ source: 'sdk-download', detail: 'java is not installed' });
  });

  it('says so when the environment names something that is not executable', async () => {
    await expect(resolveTemporalCli({ toolsDir, envPath: path.join(root, 'missing') })).rejects.toThrow(/not an executable/);
  });

  it('hands an existing binary to the SDK as an existing-path executable', () => {
    expect(ephemeralExecutable({ name: 'cli', source: 'tools', path: cachedCli })).toEqual({ type: 'existing-path', path: cachedCli });
  });
});
