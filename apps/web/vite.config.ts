import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vite';

/**
 * The web app's build: dist/apps/web beside the API's build (the API serves it at
 * `/`, scripts/build.mjs builds both). No inline script or style ends up in
 * index.html, so the strict Content-Security-Policy (apps/api/src/http/web-app.ts)
 * holds. `npm run dev` proxies /api to an API on :3000.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: 'public',
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/web', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
    rolldownOptions: {
      // React Query marks its hooks "use client" (for server components); meaningless in this SPA.
      onwarn(warning, handler) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(warning);
      },
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  server: {
    port: 5173,
    proxy: { '/api': 'http://127.0.0.1:3000', '/health': 'http://127.0.0.1:3000' },
  },
});
