import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { relative } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import type { ApiApp } from '#functions/api/app.ts'

/** The built notebook (`npm run build:notebook`, run by `npm ci` through `prepare`). */
export const NOTEBOOK_DIST = fileURLToPath(new URL('../analytics/dist/', import.meta.url))

/** Serves the notebook at `/` from `analytics/dist`, or a page saying how to build it. */
export function serveNotebook(app: ApiApp): void {
  if (!existsSync(NOTEBOOK_DIST)) {
    app.get('/', (c) =>
      c.html(
        '<!doctype html><title>netlake</title><p>The notebook is not built. Run <code>npm run build:notebook</code> and restart. The API is at <a href="/docs">/docs</a>.</p>',
        503,
      ),
    )
    return
  }
  const root = relative(process.cwd(), NOTEBOOK_DIST) || '.'
  app.use(
    '/*',
    serveStatic({
      root,
      onFound: (path, c) => {
        if (path.endsWith('.wasm')) c.header('Content-Type', 'application/wasm')
        // vite names build assets by content hash: a reload reuses them (and the compiled wasm)
        if (/\/assets\/[^/]+-[\w-]{8}\.\w+$/.test(path))
          c.header('Cache-Control', 'public, max-age=31536000, immutable')
      },
    }),
  )
  app.get('/', serveStatic({ path: `${root}/index.html` }))
}
