import { createRoute, z } from '@hono/zod-openapi'
import { ReportsQuerySchema } from '#schemas/api.ts'
import { InvalidCursorError } from '#functions/ports.ts'
import type { ApiApp, ApiContext } from './app.ts'
import { requireScope } from './auth.ts'
import { ApiError } from './errors.ts'
import { accessNote, errorResponses, securityFor, TOKEN_ERRORS } from './contract.ts'

const ReportSchema = z.object({
  report_id: z.string(),
  window_from: z.string(),
  window_to: z.string(),
  created_at: z.string(),
  regressions: z.number().int(),
  improvements: z.number().int(),
  links: z.object({ html: z.string(), md: z.string(), json: z.string() }),
})

/** `GET /v1/reports` and `GET /v1/reports/{id}`. */
export function registerReportRoutes(app: ApiApp, { deps, options, auth }: ApiContext): void {
  const reader = requireScope('reader', auth)
  const security = securityFor('reader', options.anonymousLoopbackReads)
  const access = accessNote('reader', options.anonymousLoopbackReads)
  const withLinks = async (
    report: NonNullable<Awaited<ReturnType<typeof deps.catalog.getReport>>>,
  ) => ({
    report_id: report.report_id,
    window_from: report.window_from,
    window_to: report.window_to,
    created_at: report.created_at,
    regressions: report.regressions,
    improvements: report.improvements,
    links: {
      html: await deps.fileUrl('reports', report.keys.html),
      md: await deps.fileUrl('reports', report.keys.md),
      json: await deps.fileUrl('reports', report.keys.json),
    },
  })
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/reports',
      summary: 'Comparison reports, newest window first',
      description: `Pass the cursor of one page to get the next. ${access}`,
      operationId: 'listReports',
      tags: ['reports'],
      security,
      middleware: [reader] as const,
      request: { query: ReportsQuerySchema.strict() },
      responses: {
        200: {
          description: 'reports',
          content: {
            'application/json': {
              schema: z.object({ reports: z.array(ReportSchema), cursor: z.string().nullable() }),
            },
          },
        },
        ...errorResponses([400, ...TOKEN_ERRORS, 422], { 400: 'a cursor this API did not issue' }),
      },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query')
      const page = await deps.catalog.listReports(limit, cursor ?? null).catch((error: unknown) => {
        if (error instanceof InvalidCursorError)
          throw new ApiError(400, 'bad-cursor', 'cursor is not one this API issued for reports', {
            field: 'cursor',
            cause: error,
          })
        throw error
      })
      return c.json(
        { reports: await Promise.all(page.items.map(withLinks)), cursor: page.cursor },
        200,
      )
    },
  )
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/reports/{id}',
      summary: 'One report with links to its HTML, Markdown and JSON',
      description: access,
      operationId: 'getReport',
      tags: ['reports'],
      security,
      middleware: [reader] as const,
      request: {
        params: z.object({
          id: z
            .string()
            .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1 to 128 letters, digits or . _ : -'),
        }),
        query: z.object({}).strict(),
      },
      responses: {
        200: { description: 'report', content: { 'application/json': { schema: ReportSchema } } },
        ...errorResponses([...TOKEN_ERRORS, 404, 422], { 404: 'no report with this id' }),
      },
    }),
    async (c) => {
      const report = await deps.catalog.getReport(c.req.valid('param').id)
      if (!report)
        throw new ApiError(404, 'not-found', `no report ${c.req.valid('param').id}`, {
          field: 'id',
        })
      return c.json(await withLinks(report), 200)
    },
  )
}
