/**
 * `npm run build:web`: builds the web apps (console, portal) with Vite into dist/<app>.
 * Without --force only the apps whose sources changed since their last build (see
 * lib/web-build.ts). Several processes may ask at once (npm start beside a test run): one builds
 * under a lock, the others wait for it and find the output fresh.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'vite';
import { generateWebApiTypes } from '../api/openapi/web-types.ts';
import { distDir, GENERATED_API_TYPES, HASH_FILE, REPO_ROOT, sourceHash, staleApps, WEB_APPS, type WebAppName } from '../lib/web-build.ts';

// Always a production bundle (React's development build is several times larger and slower).
process.env.NODE_ENV = 'production';
const force = process.argv.includes('--force');
const root = REPO_ROOT;
const lock = path.join(root, 'dist', '.build-lock');
const log = (line: string) => process.stdout.write(`[build:web] ${line}\n`);

async function withLock<T>(run: () => Promise<T>): Promise<T> {
  mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock older than any build is a crashed build's: take it over.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`another build holds ${lock}`);
      else await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    return await run();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Pre-compressed copies of the text files, for the API to send as they are. */
function compress(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) compress(file);
    else if (/\.(js|css|html|svg|json|txt)$/.test(entry.name) && statSync(file).size >= 512) {
      const content = readFileSync(file);
      writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
      writeFileSync(`${file}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    }
  }
}

async function buildApp(app: WebAppName): Promise<void> {
  const started = performance.now();
  const hash = sourceHash(app, root);
  const out = distDir(root, app);
  const staging = `${out}.building`;
  rmSync(staging, { recursive: true, force: true });
  await build({ configFile: path.join(root, app, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir: staging, emptyOutDir: true } });
  compress(staging);
  writeFileSync(path.join(staging, HASH_FILE), `${hash}\n`);
  // Swap: the old output goes only once the new one is complete.
  const old = `${out}.old`;
  rmSync(old, { recursive: true, force: true });
  if (existsSync(out)) renameSync(out, old);
  renameSync(staging, out);
  rmSync(old, { recursive: true, force: true });
  log(`${app}: built in ${((performance.now() - started) / 1000).toFixed(1)} s → ${path.relative(root, out)}`);
}

await withLock(async () => {
  if (await generateWebApiTypes(path.join(root, GENERATED_API_TYPES))) log(`wrote ${GENERATED_API_TYPES}`);
  const apps = force ? [...WEB_APPS] : staleApps(root);
  if (!apps.length) log('every app is up to date');
  for (const app of apps) await buildApp(app);
});
