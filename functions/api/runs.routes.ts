import { createRoute, z } from '@hono/zod-openapi'
import { ApiErrorSchema, RunsQuerySchema } from '#schemas/api.ts'
import { IntervalRowSchema, RunRowSchema } from '#schemas/tables.ts'
import { curatedKey, partitionValue } from '#core/object-keys.ts'
import type { RunRow } from '#schemas/tables.ts'
import type { ApiApp, ApiContext } from './app.ts'
import { requireScope } from './auth.ts'
import { ApiError } from './errors.ts'
import { InvalidCursorError, InvalidFilterError } from '#functions/ports.ts'

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } })
const errorResponse = json(ApiErrorSchema, 'error')

/** `GET /v1/runs`, `GET /v1/runs/{id}` and `GET /v1/scenarios`. */
export function registerRunRoutes(app: ApiApp, { deps, auth }: ApiContext): void {
  const reader = requireScope('reader', auth)
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/runs',
      summary: 'List run summaries, newest first, with filters and an opaque cursor',
      security: [{ bearer: [] }],
      middleware: [reader] as const,
      request: { query: RunsQuerySchema },
      responses: {
        200: json(z.object({ runs: z.array(RunRowSchema), cursor: z.string().nullable() }), 'a page of runs'),
        400: errorResponse, 401: errorResponse, 403: errorResponse, 422: errorResponse,
      },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query')
      try {
        const page = await deps.catalog.listRuns(filter, limit, cursor ?? null)
        return c.json({ runs: page.items, cursor: page.cursor }, 200)
      } catch (error) {
        if (error instanceof InvalidCursorError) throw new ApiError(400, 'bad-cursor', 'cursor is not one this API issued for this filter', 'cursor')
        if (error instanceof InvalidFilterError) throw new ApiError(400, 'bad-filter', error.message, error.field)
        throw error
      }
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/runs/{id}',
      summary: 'One run with its per-interval rows',
      security: [{ bearer: [] }],
      middleware: [reader] as const,
      request: { params: z.object({ id: z.string().regex(/^[0-9a-f]{32}$/, '32 hex characters') }) },
      responses: {
        200: json(z.object({ run: RunRowSchema, intervals: z.array(IntervalRowSchema) }), 'the run'),
        401: errorResponse, 403: errorResponse, 404: errorResponse, 422: errorResponse,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const run = await deps.catalog.getRun(id)
      if (!run) throw new ApiError(404, 'not-found', `no run ${id}`)
      return c.json({ run, intervals: await intervalsOf(run, deps) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/scenarios',
      summary: 'The scenario catalog: ids, platforms, traffic paths hop by hop',
      security: [{ bearer: [] }],
      middleware: [reader] as const,
      responses: { 200: json(z.object({ scenarios: z.array(z.record(z.string(), z.unknown())) }), 'the catalog'), 401: errorResponse },
    }),
    (c) => c.json({ scenarios: deps.scenarios.scenarios }, 200),
  )
}

/** A run's intervals live in its partition's Parquet: its own file, or the compacted file that absorbed it. */
async function intervalsOf(run: RunRow, deps: ApiContext['deps']): Promise<z.infer<typeof IntervalRowSchema>[]> {
  if (!run.raw_sha256 || !run.date) return []
  const platform = partitionValue(run.platform)
  const own = curatedKey('intervals', platform, run.date, run.raw_sha256)
  const partition = await deps.catalog.getPartition('intervals', platform, run.date)
  const keys = partition?.files.map((f) => f.key) ?? []
  const candidates = keys.includes(own) ? [own] : keys.filter((key) => key.includes('/compacted-'))
  const rows: z.infer<typeof IntervalRowSchema>[] = []
  for (const key of candidates) {
    const bytes = await deps.curated.get(key)
    if (!bytes) continue
    for (const row of await deps.readParquet(bytes)) if (row.run_id === run.run_id) rows.push(row as z.infer<typeof IntervalRowSchema>)
  }
  return rows
}
