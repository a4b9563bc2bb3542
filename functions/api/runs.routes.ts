import { createRoute, z } from '@hono/zod-openapi'
import { RunsQuerySchema } from '#schemas/api.ts'
import { IntervalRowSchema, RunRowSchema } from '#schemas/tables.ts'
import { intervalsOfRuns } from './run-intervals.ts'
import type { ApiApp, ApiContext } from './app.ts'
import { requireScope } from './auth.ts'
import { ApiError } from './errors.ts'
import { accessNote, errorResponses, securityFor, TOKEN_ERRORS } from './contract.ts'
import { InvalidCursorError, InvalidFilterError } from '#functions/ports.ts'

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})

/** `GET /v1/runs`, `GET /v1/runs/{id}` and `GET /v1/scenarios`. */
export function registerRunRoutes(app: ApiApp, { deps, options, auth }: ApiContext): void {
  const reader = requireScope('reader', auth)
  const security = securityFor('reader', options.anonymousLoopbackReads)
  const access = accessNote('reader', options.anonymousLoopbackReads)
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/runs',
      summary: 'List run summaries, newest first, with filters and an opaque cursor',
      description: `Pass the cursor of one page to get the next, with the same filters. Unknown query parameters are refused (422). ${access}`,
      operationId: 'listRuns',
      tags: ['runs'],
      security,
      middleware: [reader] as const,
      request: { query: RunsQuerySchema.strict() },
      responses: {
        200: json(
          z.object({ runs: z.array(RunRowSchema), cursor: z.string().nullable() }),
          'a page of runs',
        ),
        ...errorResponses([400, ...TOKEN_ERRORS, 422], {
          400: 'a cursor this API did not issue for these filters, or filters it cannot combine',
        }),
      },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query')
      try {
        const page = await deps.catalog.listRuns(filter, limit, cursor ?? null)
        return c.json({ runs: page.items, cursor: page.cursor }, 200)
      } catch (error) {
        if (error instanceof InvalidCursorError)
          throw new ApiError(
            400,
            'bad-cursor',
            'cursor is not one this API issued for this filter',
            { field: 'cursor', cause: error },
          )
        if (error instanceof InvalidFilterError)
          throw new ApiError(400, 'bad-filter', error.message, { field: error.field, cause: error })
        throw error
      }
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/runs/{id}',
      summary: 'One run with its per-interval rows',
      description: access,
      operationId: 'getRun',
      tags: ['runs'],
      security,
      middleware: [reader] as const,
      request: {
        params: z.object({
          id: z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 lowercase hex characters'),
        }),
        query: z.object({}).strict(),
      },
      responses: {
        200: json(
          z.object({ run: RunRowSchema, intervals: z.array(IntervalRowSchema) }),
          'the run',
        ),
        ...errorResponses([...TOKEN_ERRORS, 404, 422], {
          404: 'no run with this id',
          500: "code `unreadable-file`: a Parquet file holding the run's intervals cannot be read (the message names it; `netlake doctor` lists it, `netlake compact` moves it aside); runs in other files still answer",
        }),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const run = await deps.catalog.getRun(id)
      if (!run) throw new ApiError(404, 'not-found', `no run ${id}`, { field: 'id' })
      return c.json({ run, intervals: await intervalsOfRuns([run], deps) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/scenarios',
      summary: 'The scenario catalog: ids, platforms, traffic paths hop by hop',
      description: access,
      operationId: 'listScenarios',
      tags: ['runs'],
      security,
      middleware: [reader] as const,
      request: { query: z.object({}).strict() },
      responses: {
        200: json(
          z.object({ scenarios: z.array(z.record(z.string(), z.unknown())) }),
          'the catalog',
        ),
        ...errorResponses([...TOKEN_ERRORS, 422]),
      },
    }),
    (c) => c.json({ scenarios: deps.scenarios.scenarios }, 200),
  )
}
