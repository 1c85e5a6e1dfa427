import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { findOnPath, isExecutable, run, type ResolvedBinary, type ResolveOptions } from './temporal-binaries.ts';
import { freePort } from './ports.ts';

/**
 * stripe-mock (Stripe's own mock of its API, from its OpenAPI spec) for the tests' outbound
 * Stripe calls. Resolved like the Temporal CLI: STRIPE_MOCK_PATH, then PATH, then the tools
 * folder, else built there with `go install` from the Go module proxy.
 */
export const STRIPE_MOCK_MODULE = 'github.com/stripe/stripe-mock';
export const STRIPE_MOCK_VERSION = 'v0.203.0';

export async function resolveStripeMock(options: ResolveOptions): Promise<ResolvedBinary> {
  const name = 'stripe-mock';
  if (options.envPath) {
    if (!isExecutable(options.envPath)) throw new Error(`${name}: ${options.envPath} (from the environment) is not an executable file`);
    return { name, source: 'env', path: options.envPath };
  }
  const onPath = findOnPath('stripe-mock', options.searchPath);
  if (onPath) return { name, source: 'path', path: onPath };
  const binDir = path.join(options.toolsDir, 'bin');
  const cached = path.join(binDir, 'stripe-mock');
  if (isExecutable(cached)) return { name, source: 'tools', path: cached };
  const go = findOnPath('go', options.searchPath);
  if (options.install === false || !go) return { name, source: 'sdk-download', detail: go ? 'install disabled' : 'go is not installed' };
  mkdirSync(binDir, { recursive: true });
  options.log?.(`Building stripe-mock ${STRIPE_MOCK_VERSION} with go install (first run only)…`);
  await run(go, ['install', `${STRIPE_MOCK_MODULE}@${STRIPE_MOCK_VERSION}`], { env: { ...process.env, GOBIN: binDir, CGO_ENABLED: '0', GOFLAGS: '-trimpath' }, log: options.log });
  if (!isExecutable(cached)) throw new Error(`go install finished but ${cached} is missing`);
  return { name, source: 'built', path: cached };
}

export interface RunningStripeMock {
  /** e.g. http://127.0.0.1:41234 — STRIPE_API_BASE. */
  url: string;
  stop(): Promise<void>;
}

/** Starts stripe-mock on a free loopback port and waits until it answers. */
export async function startStripeMock(binary: string): Promise<RunningStripeMock> {
  const [port, httpsPort] = [await freePort(), await freePort()];
  // Without an explicit HTTPS address stripe-mock also binds its default port (12112).
  const child: ChildProcess = spawn(binary, ['-http-addr', `127.0.0.1:${port}`, '-https-addr', `127.0.0.1:${httpsPort}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`stripe-mock exited with ${child.exitCode}: ${output.slice(-2000)}`);
    try {
      const response = await fetch(`${url}/v1/customers/cus_ping`, { headers: { authorization: 'Bearer sk_test_ping' } });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`stripe-mock did not start: ${output.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
