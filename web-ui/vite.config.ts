/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// The Rust API server (see the repository README). Override with HELPDESK_API_URL.
const apiTarget = process.env.HELPDESK_API_URL ?? 'http://127.0.0.1:8000';

const proxy = {
  '/api': { target: apiTarget },
  '/healthz': { target: apiTarget },
  '/readyz': { target: apiTarget },
};

/** Vite's usual 500 kB warning, for every chunk but Swagger UI's prebuilt bundle (about 1.5 MB). */
const CHUNK_BUDGET_KB = 500;
const SWAGGER_UI_CHUNK_KB = 1700;

function chunkBudget(): Plugin {
  return {
    name: 'helpdesk:chunk-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const kb = Buffer.byteLength(chunk.code) / 1000;
        const swagger = chunk.moduleIds.some((id) => id.includes('/node_modules/swagger-ui-dist/'));
        if (kb > (swagger ? SWAGGER_UI_CHUNK_KB : CHUNK_BUDGET_KB)) {
          this.warn(`${chunk.fileName} is ${kb.toFixed(0)} kB, over its budget`);
        }
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), chunkBudget()],
  server: { proxy },
  preview: { proxy },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    // Checked per chunk by chunkBudget() above.
    chunkSizeWarningLimit: SWAGGER_UI_CHUNK_KB,
    // Two pages: the app, and the API reference the server answers at /api/docs. They share
    // no chunk: the docs page's renderer (Swagger UI) is never loaded by the app.
    rolldownOptions: {
      // Swagger UI's CSS transform is slow on 2 cores; its timing report is noise here.
      checks: { pluginTimings: false },
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        'api-docs': fileURLToPath(new URL('./api-docs.html', import.meta.url)),
      },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    css: false,
    // Tests that type whole sentences with user-event take seconds on a busy 2-core runner.
    testTimeout: 15_000,
  },
});
