import path from 'node:path';
import type { UserConfig } from 'vite';

/**
 * What both apps' Vite configs share (console/vite.config.ts, portal/vite.config.ts): served by
 * the API under `base`, built into dist/<app>, `@web/` for the shared kit, nothing inlined that
 * the Content-Security-Policy would refuse (no data: fonts, no inline scripts), and the dev
 * server (`npx vite console`) proxying the API at localhost:3000.
 */
export function webAppConfig(options: { appDir: string; app: 'console' | 'portal'; base: string }): UserConfig {
  const repo = path.resolve(options.appDir, '..');
  return {
    root: options.appDir,
    base: `${options.base}/`,
    publicDir: path.join(options.appDir, 'public'),
    resolve: { alias: { '@web': path.join(repo, 'web') } },
    oxc: { jsx: { runtime: 'automatic' } },
    build: {
      rolldownOptions: {
        // React Query marks its modules "use client" (for server components): meaningless in a browser bundle.
        onwarn(warning, warn) {
          if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
        },
      },
      outDir: path.join(repo, 'dist', options.app),
      emptyOutDir: true,
      target: 'es2022',
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      reportCompressedSize: false,
      chunkSizeWarningLimit: 500,
    },
    server: { proxy: { '/v1': 'http://localhost:3000', '/openapi.json': 'http://localhost:3000' } },
  };
}
