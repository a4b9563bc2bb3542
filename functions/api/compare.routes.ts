import { createRoute, z } from '@hono/zod-openapi'
import { ApiErrorSchema, CompareQuerySchema } from '#schemas/api.ts'
import { SAMPLE_LABELS } from '#schemas/labels.ts'
import type { RunRow } from '#schemas/tables.ts'
import { compareRuns, matchBaseline } from '#core/compare/compare-runs.ts'
import { preferOwnRuns } from '#core/compare/sample-runs.ts'
import type { RunCatalog, RunFilter } from '#functions/ports.ts'
import type { ApiApp, ApiContext } from './app.ts'
import { requireScope } from './auth.ts'
import { ApiError } from './errors.ts'

/** `GET /v1/compare`: candidate scenario vs a baseline scenario or automatically matched bare metal. */
export function registerCompareRoutes(app: ApiApp, { deps, options, auth }: ApiContext): void {
  const cap = options.compareMaxRunsPerSide
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/compare',
      summary: 'Compare a scenario with a baseline: medians, ratio and overhead with bootstrap CIs, Mann-Whitney p, ceilings, differing hops',
      description:
        'throughput_bps compares iperf3 TCP runs, latency_s compares qperf tcp_lat runs. Without `baseline`, bare-metal runs are matched on hardware profile, NIC speed, link MTU and tool settings (the comparison key). Runs with different comparison keys are refused (409) unless allow_key_mismatch=true, which flags every output. Server-side iperf3 documents are left out (their client document is the same test).',
      security: [{ bearer: [] }],
      middleware: [requireScope('reader', auth)] as const,
      request: { query: CompareQuerySchema },
      responses: {
        200: { description: 'the comparison', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
        404: { description: 'no runs', content: { 'application/json': { schema: ApiErrorSchema } } },
        409: { description: 'comparison keys differ', content: { 'application/json': { schema: ApiErrorSchema } } },
        422: { description: 'validation', content: { 'application/json': { schema: ApiErrorSchema } } },
      },
    }),
    async (c) => {
      const query = c.req.valid('query')
      const test = query.metric === 'throughput_bps' ? { tool: 'iperf3', test: 'tcp' } : { tool: 'qperf', test: 'tcp_lat' }
      const common: RunFilter = { ...test, status: 'ok', hardware_profile: query.hardware_profile, campaign: query.campaign }
      // The bundled samples count only while a side has nothing else (or campaign= chooses them).
      const chosen = query.campaign !== undefined
      const own = preferOwnRuns(await loadRuns(deps.catalog, { ...common, scenario: query.candidate }, cap), chosen)
      const candidate = own.runs
      if (candidate.length === 0) throw new ApiError(404, 'no-runs', `no ${test.tool} ${test.test} runs for scenario '${query.candidate}'`, 'candidate')
      const found = await loadRuns(deps.catalog, query.baseline ? { ...common, scenario: query.baseline } : { ...common, platform: 'baremetal' }, cap)
      const pool = preferOwnRuns(query.baseline ? found : matchBaseline(candidate, found), chosen, own.samplesOnly)
      const baseline = pool.runs
      if (baseline.length === 0) {
        throw new ApiError(404, 'no-baseline', query.baseline ? `no runs for baseline scenario '${query.baseline}'` : 'no bare-metal runs match the candidate (same hardware profile, NIC speed, link MTU and tool settings)', 'baseline')
      }
      const result = compareRuns({
        baseline,
        candidate,
        metric: query.metric,
        allowKeyMismatch: query.allow_key_mismatch === 'true',
        catalog: deps.scenarios,
        seed: query.seed,
      })
      if (result.refused) throw new ApiError(409, 'key-mismatch', result.refused, 'allow_key_mismatch')
      const leftOut = own.samplesLeftOut + pool.samplesLeftOut
      if (leftOut > 0) result.advice.push(`${leftOut} bundled sample runs (campaign ${SAMPLE_LABELS.campaign}) were left out; campaign=${SAMPLE_LABELS.campaign} compares them`)
      for (const [side, runs] of [['candidate', candidate], ['baseline', baseline]] as const) {
        if (runs.length >= cap) result.advice.push(`${side}: only the newest ${cap} runs were read; narrow the filters (hardware_profile, campaign) for a complete comparison`)
      }
      return c.json(result, 200)
    },
  )
}

async function loadRuns(catalog: RunCatalog, filter: RunFilter, cap: number): Promise<RunRow[]> {
  const runs: RunRow[] = []
  let cursor: string | null = null
  do {
    const page = await catalog.listRuns(filter, Math.min(500, cap - runs.length), cursor)
    runs.push(...page.items)
    cursor = page.cursor
  } while (cursor && runs.length < cap)
  // A server-side document describes the same test as its client's: counting both would double a repetition.
  return runs.filter((run) => run.role !== 'server')
}
