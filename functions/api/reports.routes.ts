import { createRoute, z } from '@hono/zod-openapi'
import { ApiErrorSchema } from '#schemas/api.ts'
import type { ApiApp, ApiContext } from './app.ts'
import { requireScope } from './auth.ts'
import { ApiError } from './errors.ts'

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
export function registerReportRoutes(app: ApiApp, { deps, auth }: ApiContext): void {
  const reader = requireScope('reader', auth)
  const withLinks = async (report: NonNullable<Awaited<ReturnType<typeof deps.catalog.getReport>>>) => ({
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
      security: [{ bearer: [] }],
      middleware: [reader] as const,
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), cursor: z.string().max(2048).optional() }) },
      responses: { 200: { description: 'reports', content: { 'application/json': { schema: z.object({ reports: z.array(ReportSchema), cursor: z.string().nullable() }) } } } },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query')
      const page = await deps.catalog.listReports(limit, cursor ?? null)
      return c.json({ reports: await Promise.all(page.items.map(withLinks)), cursor: page.cursor }, 200)
    },
  )
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/reports/{id}',
      summary: 'One report with links to its HTML, Markdown and JSON',
      security: [{ bearer: [] }],
      middleware: [reader] as const,
      request: { params: z.object({ id: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/) }) },
      responses: {
        200: { description: 'report', content: { 'application/json': { schema: ReportSchema } } },
        404: { description: 'error', content: { 'application/json': { schema: ApiErrorSchema } } },
      },
    }),
    async (c) => {
      const report = await deps.catalog.getReport(c.req.valid('param').id)
      if (!report) throw new ApiError(404, 'not-found', `no report ${c.req.valid('param').id}`)
      return c.json(await withLinks(report), 200)
    },
  )
}
