import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))

/**
 * The notebook: a static app in `analytics/dist`, served by the API at `/` with `/v1/*` on the same
 * origin. duckdb-wasm's wasm and worker files are emitted as assets (no CDN), and nothing loads
 * from another host.
 */
export default defineConfig({
  root,
  base: './',
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2048,
    assetsInlineLimit: 0,
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', proxy: { '/v1': 'http://127.0.0.1:8787' } },
  preview: { host: '127.0.0.1' },
})
