import { createRoute, z } from '@hono/zod-openapi'
import { ApiErrorSchema, DatasetsManifestSchema } from '#schemas/api.ts'
import type { DatasetsManifest } from '#schemas/api.ts'
import type { MiddlewareHandler } from 'hono'
import type { ApiApp, ApiContext, ApiEnv } from './app.ts'
import { requireScope } from './auth.ts'
import { ApiError } from './errors.ts'

/** Keys the file route may serve: curated Parquet and generated reports, nothing else. */
const SERVABLE = {
  curated: /^curated\/(runs|intervals|metrics)\/platform=[A-Za-z0-9._:-]+\/date=\d{4}-\d{2}-\d{2}\/[A-Za-z0-9-]+\.parquet$/,
  reports: /^reports\/\d{4}-\d{2}-\d{2}\/[A-Za-z0-9._:-]+\/report\.(html|md|json)$/,
} as const
const CONTENT_TYPES: Record<string, string> = { parquet: 'application/vnd.apache.parquet', html: 'text/html; charset=utf-8', md: 'text/markdown; charset=utf-8', json: 'application/json' }

/** `GET /v1/datasets` (the Parquet manifest) and, locally, `GET /v1/files/{bucket}/{key}` with Range support. */
export function registerDatasetRoutes(app: ApiApp, { deps, options, auth }: ApiContext): void {
  const reader = requireScope('reader', auth)
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/datasets',
      summary: 'The Parquet files of each canonical table, as URLs a browser can range-read',
      security: [{ bearer: [] }],
      middleware: [reader] as const,
      responses: {
        200: { description: 'manifest', content: { 'application/json': { schema: DatasetsManifestSchema } } },
        401: { description: 'error', content: { 'application/json': { schema: ApiErrorSchema } } },
      },
    }),
    async (c) => {
      const manifest: DatasetsManifest = { generated_at: deps.clock.now().toISOString(), tables: { runs: [], intervals: [], metrics: [] } }
      for (const partition of await deps.catalog.listPartitions()) {
        for (const file of partition.files) {
          manifest.tables[partition.table].push({ url: await deps.fileUrl('curated', file.key), key: file.key, platform: partition.platform, date: partition.date, rows: file.rows, bytes: file.bytes })
        }
      }
      for (const files of Object.values(manifest.tables)) files.sort((a, b) => a.key.localeCompare(b.key))
      c.header('Cache-Control', 'no-store')
      return c.json(manifest, 200)
    },
  )
  if (!options.serveFiles) return

  // A valid signature (from the manifest) stands in for a token, as an S3 presigned URL does.
  const signedOrReader: MiddlewareHandler<ApiEnv> = async (c, next) => {
    const path = new URL(c.req.url).pathname
    if (deps.fileSigner?.verify(path, c.req.query('expires'), c.req.query('sig'))) {
      c.set('token', null)
      return next()
    }
    return reader(c, next)
  }
  app.on(['GET', 'HEAD'], '/v1/files/:bucket{curated|reports}/:key{.+}', signedOrReader, async (c) => {
    const bucket = c.req.param('bucket') as keyof typeof SERVABLE
    const key = c.req.param('key')
    if (!SERVABLE[bucket].test(key) || key.includes('..')) throw new ApiError(404, 'not-found', 'no such file')
    const store = bucket === 'curated' ? deps.curated : deps.reports
    const body = await store.get(key)
    if (!body) throw new ApiError(404, 'not-found', `no such file ${key}`)
    const type = CONTENT_TYPES[key.slice(key.lastIndexOf('.') + 1)]
    const headers: Record<string, string> = { 'Content-Type': type, 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-cache' }
    const range = parseRange(c.req.header('range'), body.byteLength)
    if (range === 'invalid') {
      return new Response(null, { status: 416, headers: { ...headers, 'Content-Range': `bytes */${body.byteLength}` } })
    }
    const [start, end] = range ?? [0, body.byteLength - 1]
    const slice = body.subarray(start, end + 1)
    headers['Content-Length'] = String(slice.byteLength)
    if (range) headers['Content-Range'] = `bytes ${start}-${end}/${body.byteLength}`
    // HEAD gets the same headers; the server leaves the body out (duckdb-wasm learns sizes this way).
    return new Response(slice as Uint8Array<ArrayBuffer>, { status: range ? 206 : 200, headers })
  })
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` → inclusive [start, end]; null without a header. */
function parseRange(header: string | undefined, size: number): [number, number] | null | 'invalid' {
  if (!header) return null
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid'
  let start: number
  let end: number
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]))
    end = size - 1
  } else {
    start = Number(m[1])
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  }
  return start > end || start >= size ? 'invalid' : [start, end]
}

