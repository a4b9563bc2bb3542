import { createRoute, z } from '@hono/zod-openapi'
import { DatasetsManifestSchema } from '#schemas/api.ts'
import type { DatasetsManifest } from '#schemas/api.ts'
import type { MiddlewareHandler } from 'hono'
import type { ApiApp, ApiContext, ApiEnv } from './app.ts'
import { requireScope } from './auth.ts'
import { ApiError } from './errors.ts'
import { accessNote, errorResponses, securityFor, TOKEN_ERRORS } from './contract.ts'

/** Keys the file route may serve: curated Parquet and generated reports, nothing else. */
const SERVABLE = {
  curated:
    /^curated\/(runs|intervals|metrics)\/platform=[A-Za-z0-9._:-]+\/date=\d{4}-\d{2}-\d{2}\/[A-Za-z0-9-]+\.parquet$/,
  reports: /^reports\/\d{4}-\d{2}-\d{2}\/[A-Za-z0-9._:-]+\/report\.(html|md|json)$/,
} as const
const CONTENT_TYPES: Record<string, string> = {
  parquet: 'application/vnd.apache.parquet',
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json',
}

/** `/docs` example of a manifest (one file per table; test/api/docs.test.ts validates it). */
export const DATASETS_EXAMPLE: DatasetsManifest = {
  generated_at: '2026-11-26T09:30:00.000Z',
  tables: Object.fromEntries(
    (['runs', 'intervals', 'metrics'] as const).map((table, i) => {
      const key = `curated/${table}/platform=openstack/date=2026-11-26/0f3c9a2e-${i}.parquet`
      return [
        table,
        [
          {
            url: `http://127.0.0.1:8787/v1/files/curated/${key}?expires=1795000000&sig=…`,
            key,
            platform: 'openstack',
            date: '2026-11-26',
            rows: [8, 96, 40][i],
            bytes: [21_504, 9_216, 6_144][i],
          },
        ],
      ]
    }),
  ) as DatasetsManifest['tables'],
}

/** `GET /v1/datasets` (the Parquet manifest) and, locally, `GET /v1/files/{bucket}/{key}` with Range support. */
export function registerDatasetRoutes(app: ApiApp, { deps, options, auth }: ApiContext): void {
  const reader = requireScope('reader', auth)
  const access = accessNote('reader', options.anonymousLoopbackReads)
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/datasets',
      summary: 'The Parquet files of each canonical table, as URLs a browser can range-read',
      description: access,
      operationId: 'getDatasets',
      tags: ['datasets'],
      security: securityFor('reader', options.anonymousLoopbackReads),
      middleware: [reader] as const,
      request: { query: z.object({}).strict() },
      responses: {
        200: {
          description: 'manifest',
          content: {
            'application/json': { schema: DatasetsManifestSchema, example: DATASETS_EXAMPLE },
          },
        },
        ...errorResponses([...TOKEN_ERRORS, 422]),
      },
    }),
    async (c) => {
      const manifest: DatasetsManifest = {
        generated_at: deps.clock.now().toISOString(),
        tables: { runs: [], intervals: [], metrics: [] },
      }
      for (const partition of await deps.catalog.listPartitions()) {
        for (const file of partition.files) {
          manifest.tables[partition.table].push({
            url: await deps.fileUrl('curated', file.key),
            key: file.key,
            platform: partition.platform,
            date: partition.date,
            rows: file.rows,
            bytes: file.bytes,
          })
        }
      }
      for (const files of Object.values(manifest.tables))
        files.sort((a, b) => a.key.localeCompare(b.key))
      c.header('Cache-Control', 'no-store')
      return c.json(manifest, 200)
    },
  )
  if (!options.serveFiles) return

  for (const method of ['get', 'head'] as const) {
    app.openAPIRegistry.registerPath({
      method,
      path: '/v1/files/{bucket}/{key}',
      summary:
        method === 'get'
          ? 'A curated Parquet file or a report, with Range support'
          : 'The headers of a file (size, type) without its bytes',
      description: `The URLs of GET /v1/datasets and of reports point here (local stack only; in AWS they are presigned S3 URLs). \`key\` is the object key and contains slashes. A URL signed by this server (\`expires\` and \`sig\`) needs no token; otherwise ${access.charAt(0).toLowerCase()}${access.slice(1)}`,
      operationId: method === 'get' ? 'getFile' : 'headFile',
      tags: ['datasets'],
      security: [...securityFor('reader', options.anonymousLoopbackReads), { signedUrl: [] }],
      request: {
        params: z.object({
          bucket: z.enum(['curated', 'reports']),
          key: z
            .string()
            .describe(
              'object key, e.g. curated/runs/platform=openstack/date=2026-11-26/<sha>.parquet',
            ),
        }),
        query: z.object({
          expires: z.string().optional().describe('expiry of a signed URL (Unix seconds)'),
          sig: z.string().optional().describe('signature of a signed URL'),
        }),
        headers: z.object({
          range: z.string().optional().describe('bytes=a-b, bytes=a- or bytes=-n'),
        }),
      },
      responses: {
        200: {
          description: 'the whole file',
          content:
            method === 'get'
              ? { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } }
              : undefined,
        },
        206: {
          description: 'the requested byte range',
          content:
            method === 'get'
              ? { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } }
              : undefined,
        },
        416: { description: 'range not satisfiable (Content-Range: bytes */size), no body' },
        ...errorResponses([...TOKEN_ERRORS, 404], {
          404: 'no such file, or a key outside curated Parquet and reports',
        }),
      },
    })
  }

  // A valid signature (from the manifest) stands in for a token, as an S3 presigned URL does.
  const signedOrReader: MiddlewareHandler<ApiEnv> = async (c, next) => {
    const path = new URL(c.req.url).pathname
    if (deps.fileSigner?.verify(path, c.req.query('expires'), c.req.query('sig'))) {
      c.set('token', null)
      return next()
    }
    return reader(c, next)
  }
  app.on(
    ['GET', 'HEAD'],
    '/v1/files/:bucket{curated|reports}/:key{.+}',
    signedOrReader,
    async (c) => {
      const bucket = c.req.param('bucket') as keyof typeof SERVABLE
      const key = c.req.param('key')
      if (!SERVABLE[bucket].test(key) || key.includes('..'))
        throw new ApiError(404, 'not-found', 'no such file', { field: 'key' })
      const store = bucket === 'curated' ? deps.curated : deps.reports
      const body = await store.get(key)
      if (!body) throw new ApiError(404, 'not-found', `no such file ${key}`, { field: 'key' })
      const type = CONTENT_TYPES[key.slice(key.lastIndexOf('.') + 1)]
      const headers: Record<string, string> = {
        'Content-Type': type,
        'Accept-Ranges': 'bytes',
        'Cache-Control': 'no-cache',
      }
      const range = parseRange(c.req.header('range'), body.byteLength)
      if (range === 'invalid') {
        return new Response(null, {
          status: 416,
          headers: { ...headers, 'Content-Range': `bytes */${body.byteLength}` },
        })
      }
      const [start, end] = range ?? [0, body.byteLength - 1]
      const slice = body.subarray(start, end + 1)
      headers['Content-Length'] = String(slice.byteLength)
      if (range) headers['Content-Range'] = `bytes ${start}-${end}/${body.byteLength}`
      // HEAD gets the same headers; the server leaves the body out (duckdb-wasm learns sizes this way).
      return new Response(slice as Uint8Array<ArrayBuffer>, { status: range ? 206 : 200, headers })
    },
  )
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
