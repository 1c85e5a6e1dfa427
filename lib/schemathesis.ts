import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { findOnPath, isExecutable, run } from './executables.ts';
import type { ResolvedBinary, ResolveOptions } from './temporal-binaries.ts';

/**
 * Schemathesis (PyPI), the property-based API tester `npm test` runs against /openapi.json. It
 * lives in a Python virtual environment of its own in the tools folder, named after its pinned
 * version, created on first need with `python3 -m venv` and pip from PyPI: a fresh clone needs
 * only Python 3 (with venv, Debian's python3-venv).
 */
export const SCHEMATHESIS_VERSION = '4.32.5';

export function schemathesisVenv(toolsDir: string): string {
  return path.join(toolsDir, `schemathesis-${SCHEMATHESIS_VERSION}`);
}

export async function resolveSchemathesis(options: Omit<ResolveOptions, 'envPath'>): Promise<ResolvedBinary> {
  const name = 'schemathesis';
  const venv = schemathesisVenv(options.toolsDir);
  const cli = path.join(venv, 'bin', 'st');
  if (isExecutable(cli)) return { name, source: 'tools', path: cli };
  const python = findOnPath('python3', options.searchPath);
  if (options.install === false || !python) return { name, source: 'sdk-download', detail: python ? 'install disabled: run `npm run tools`' : 'python3 is not installed' };
  options.log?.(`Installing schemathesis ${SCHEMATHESIS_VERSION} from PyPI into ${venv} (first run only)…`);
  // A half-made environment from an interrupted run is made again.
  if (existsSync(venv)) rmSync(venv, { recursive: true, force: true });
  try {
    await run(python, ['-m', 'venv', venv], { log: options.log });
  } catch (error) {
    throw new Error(`python3 -m venv failed (on Debian: apt-get install -y python3-venv): ${(error as Error).message}`);
  }
  const pip = path.join(venv, 'bin', 'pip');
  await run(pip, ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`], { log: options.log });
  if (!isExecutable(cli)) throw new Error(`pip installed schemathesis but ${cli} is missing`);
  return { name, source: 'built', path: cli };
}
