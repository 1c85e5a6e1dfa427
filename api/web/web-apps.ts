import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Context, Middleware, Next } from 'koa';
import { WEB_APP_MOUNTS, WEB_APPS, type WebAppName } from '../../lib/web-build.ts';
import { Problem } from '../http/problem.ts';

/**
 * Serves the built web apps from dist/<app>: the console at /admin/, the portal at /portal/.
 * - `assets/*` (file names carry a content hash): cached for a year, immutable;
 * - index.html: `no-cache` (revalidated with an ETag), so a deploy shows at the next load;
 * - any other path without a file extension is a client route: index.html (the SPA fallback);
 * - a missing file (with an extension) is a 404, never index.html.
 * Every answer carries the app's Content-Security-Policy: nothing but its own origin, no inline
 * script or style, no framing. Files are sent pre-compressed (brotli, gzip) when the build wrote
 * them and the browser takes them.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** `Accept-Encoding` → the pre-compressed variants to try, best first. */
function encodings(ctx: Context): Array<{ name: string; suffix: string }> {
  const accepted = ctx.get('accept-encoding');
  const out: Array<{ name: string; suffix: string }> = [];
  if (/\bbr\b/.test(accepted)) out.push({ name: 'br', suffix: '.br' });
  if (/\bgzip\b/.test(accepted)) out.push({ name: 'gzip', suffix: '.gz' });
  return out;
}

const isFile = async (file: string) => (await stat(file).catch(() => null))?.isFile() ?? false;

async function sendFile(ctx: Context, file: string, cacheControl: string): Promise<void> {
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
  ctx.set('Vary', 'Accept-Encoding');
  ctx.set('Cache-Control', cacheControl);
  ctx.type = type;
  for (const encoding of encodings(ctx)) {
    if (await isFile(file + encoding.suffix)) {
      ctx.set('Content-Encoding', encoding.name);
      ctx.length = (await stat(file + encoding.suffix)).size;
      ctx.body = ctx.method === 'HEAD' ? null : createReadStream(file + encoding.suffix);
      return;
    }
  }
  ctx.length = (await stat(file)).size;
  ctx.body = ctx.method === 'HEAD' ? null : createReadStream(file);
}

/** index.html, read per request (it is small, and a rebuild replaces it), answered 304 while unchanged. */
async function sendIndex(ctx: Context, app: WebAppName, dir: string): Promise<void> {
  const html = await readFile(path.join(dir, 'index.html')).catch(() => null);
  if (!html) {
    ctx.status = 503;
    ctx.type = 'text/plain; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = `The ${app} has not been built. Run \`npm run build:web\` (npm start and npm run api build it when its sources change).\n`;
    return;
  }
  ctx.set('Cache-Control', 'no-cache');
  ctx.etag = createHash('sha256').update(html).digest('base64url').slice(0, 27);
  ctx.status = 200;
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  await sendFile(ctx, path.join(dir, 'index.html'), 'no-cache');
}

/** The app-relative path of a request, or null when it cannot name a file of the app (`..`, dot files, NUL). */
function relativePath(requestPath: string, mount: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath.slice(mount.length + 1));
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter(Boolean);
  if (segments.some((segment) => segment === '..' || segment.startsWith('.'))) return null;
  return segments.join('/');
}

export function webApps(options: { distDir: string }): Middleware {
  const apps = WEB_APPS.map((app) => ({ app, mount: WEB_APP_MOUNTS[app], dir: path.join(options.distDir, app) }));
  return async (ctx: Context, next: Next) => {
    const served = apps.find(({ mount }) => ctx.path === mount || ctx.path.startsWith(`${mount}/`));
    if (!served) return next();
    const { app, mount, dir } = served;
    ctx._matchedRoute = `${mount}/*`;
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      throw new Problem('METHOD_NOT_ALLOWED', `${ctx.method} is not allowed on ${ctx.path}`, { headers: { Allow: 'GET, HEAD' } });
    }
    if (ctx.path === mount) {
      ctx.status = 301;
      ctx.redirect(`${mount}/${ctx.querystring ? `?${ctx.querystring}` : ''}`);
      return;
    }
    const relative = relativePath(ctx.path, mount);
    if (relative === null) return next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) ctx.set(name, value);
    if (relative === '' || relative === 'index.html' || !path.posix.extname(relative)) return sendIndex(ctx, app, dir);
    const file = path.join(dir, relative);
    if (!(await isFile(file))) return next();
    await sendFile(ctx, file, relative.startsWith('assets/') ? IMMUTABLE : 'no-cache');
  };
}
