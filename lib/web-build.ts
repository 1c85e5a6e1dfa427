import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The web apps (Vite + React) the API serves: the admin console at /admin and the customer
 * portal at /portal, built into dist/<app>. A build is redone only when its inputs changed: a
 * hash of the app's sources, the shared web/ folder, the lockfile and this build code is kept
 * next to the output (`dist/<app>/.source-hash`). `npm start`, `npm run api` and the test setup
 * call ensureWebApps(); `npm run build:web` forces a build.
 */
export const WEB_APPS = ['console', 'portal'] as const;
export type WebAppName = (typeof WEB_APPS)[number];

/** Where each app is served. */
export const WEB_APP_MOUNTS: Record<WebAppName, string> = { console: '/admin', portal: '/portal' };

export const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const HASH_FILE = '.source-hash';
/** Written by the build from the API's contract: an input of the type-check, not of the bundle. */
export const GENERATED_API_TYPES = 'web/api/openapi.gen.ts';

export const distDir = (root: string, app: WebAppName) => path.join(root, 'dist', app);

function filesUnder(root: string, dir: string, out: string[]): string[] {
  const full = path.join(root, dir);
  if (!existsSync(full)) return out;
  for (const entry of readdirSync(full, { withFileTypes: true })) {
    const relative = path.posix.join(dir, entry.name);
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) filesUnder(root, relative, out);
    else if (entry.isFile() && relative !== GENERATED_API_TYPES) out.push(relative);
  }
  return out;
}

/** A hash of everything an app's bundle is built from. */
export function sourceHash(app: WebAppName, root = REPO_ROOT): string {
  const files = [
    ...filesUnder(root, 'web', []),
    ...filesUnder(root, app, []),
    ...['package-lock.json', 'tsconfig.web.json', 'lib/web-build.ts', 'bin/build-web.ts'].filter((file) => existsSync(path.join(root, file))),
  ].sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update('\0').update(readFileSync(path.join(root, file))).update('\0');
  return hash.digest('hex');
}

/** The hash the current output was built from (null: never built). */
export function builtHash(app: WebAppName, root = REPO_ROOT): string | null {
  const file = path.join(distDir(root, app), HASH_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
}

export const staleApps = (root = REPO_ROOT) => WEB_APPS.filter((app) => builtHash(app, root) !== sourceHash(app, root));

/**
 * Builds the apps whose output is missing or stale, in a child process on the project's Node
 * (the `node` devDependency, whatever runs this): Vite loads its configs and bundles there, and
 * its memory goes with the process. Resolves with the apps it built.
 */
export async function ensureWebApps(options: { root?: string; force?: boolean; log?: (line: string) => void } = {}): Promise<WebAppName[]> {
  const root = options.root ?? REPO_ROOT;
  const stale = options.force ? [...WEB_APPS] : staleApps(root);
  if (!stale.length) return [];
  const nodeBin = path.join(root, 'node_modules', '.bin', 'node');
  const node = existsSync(nodeBin) ? nodeBin : process.execPath;
  options.log?.(`building the web apps (${stale.join(', ')}): their sources changed since the last build`);
  await new Promise<void>((resolve, reject) => {
    // A production build whatever the caller runs as (jest sets NODE_ENV=test, which would give Vite React's development build).
    const env = { ...process.env, NODE_ENV: 'production' };
    const child = spawn(node, [path.join(root, 'bin', 'build-web.ts'), ...(options.force ? ['--force'] : [])], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`building the web apps failed (exit ${code}):\n${output}`))));
  });
  return stale;
}
