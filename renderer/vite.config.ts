import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * `npx vite --config renderer/vite.config.ts` serves the UI with hot reload and forwards the API
 * to a running `flowsight serve` (FLOWSIGHT_DEV_API, default http://127.0.0.1:7411). The server
 * checks Origin against its own address, so the proxy presents the target's origin.
 */
const devApi = process.env.FLOWSIGHT_DEV_API ?? 'http://127.0.0.1:7411';

/** The dev server injects an inline React Refresh preamble; the CSP meta applies to builds only. */
const devCsp: Plugin = {
  name: 'flowsight-dev-csp',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace(/\s*<meta\s+http-equiv="Content-Security-Policy"[^>]*>/, ''),
};

export default defineConfig({
  root: here,
  base: './',
  plugins: [react(), devCsp],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
    // no inline scripts or data: modules (strict CSP: script-src 'self')
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      // only the upload endpoint: /api/*.ts are this bundle's own sources in dev
      '^/api/upload(\\?.*)?$': {
        target: devApi,
        changeOrigin: true,
        configure: (proxy) => proxy.on('proxyReq', (req) => req.setHeader('origin', devApi)),
      },
      '^/ws$': {
        target: devApi.replace(/^http/, 'ws'),
        ws: true,
        changeOrigin: true,
        configure: (proxy) => proxy.on('proxyReqWs', (req) => req.setHeader('origin', devApi)),
      },
    },
  },
});
