import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { webAppConfig } from '../web/vite-config.ts';

/** The admin console, served by the API at /admin. */
export default defineConfig(webAppConfig({ appDir: path.dirname(fileURLToPath(import.meta.url)), app: 'console', base: '/admin' }));
