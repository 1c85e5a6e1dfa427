import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { webAppConfig } from '../web/vite-config.ts';

/** The customer portal, served by the API at /portal. */
export default defineConfig(webAppConfig({ appDir: path.dirname(fileURLToPath(import.meta.url)), app: 'portal', base: '/portal' }));
