import { createRoute } from '@hono/zod-openapi'
import {
  ChangesQuerySchema,
  ChangesResultSchema,
  CompareQuerySchema,
  CompareResultSchema,
} from '#schemas/api.ts'
import type { RunRow } from '#schemas/tables.ts'
import { changesOfRuns } from '#core/compare/change-series.ts'
import { compareScenario } from '#functions/compare/compare-scenario.ts'
import type { RunCatalog, RunFilter } from '#functions/ports.ts'
import type { ApiApp, ApiContext } from './app.ts'
import { requireScope } from './auth.ts'
import { intervalsOfRuns } from './run-intervals.ts'
import { ApiError } from './errors.ts'
import { accessNote, errorResponses, securityFor, TOKEN_ERRORS } from './contract.ts'

/** `/docs` example of a comparison: os-s1 against matched bare metal on one hardware profile. */
export const COMPARE_EXAMPLE = { candidate: 'os-s1', hardware_profile: 'one-box-2vcpu' }

/**
 * `GET /v1/compare`: candidate scenario vs a baseline scenario or automatically matched bare metal;
 * `GET /v1/changes`: change points in a scenario's history, per comparison key.
 */
export function registerCompareRoutes(app: ApiApp, { deps, options, auth }: ApiContext): void {
  const cap = options.compareMaxRunsPerSide
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/compare',
      summary:
        'Compare a scenario with a baseline: ratio of geometric means with a Welch-log CI, overhead, verdict against a band, limited_by, median-ratio bootstrap and Mann-Whitney cross-checks, ceilings, differing hops',
      description:
        'throughput_bps compares iperf3 TCP runs, latency_s compares qperf tcp_lat runs. Without `baseline`, bare-metal runs are matched on hardware profile, NIC speed, link MTU and tool settings (the comparison key). Runs with different comparison keys are refused (409) unless allow_key_mismatch=true, which flags every output. Server-side iperf3 documents are left out (their client document is the same test). No interval below 3 runs per side (null with the reason in ratio_unavailable). The verdict uses the band δ (`band`, default 0.05 for throughput, 0.1 for latency). An infinite bound of the median ratio is ci_high null with upper_unbounded true (JSON has no Infinity). ' +
        accessNote('reader', options.anonymousLoopbackReads),
      operationId: 'compareScenarios',
      tags: ['runs'],
      security: securityFor('reader', options.anonymousLoopbackReads),
      middleware: [requireScope('reader', auth)] as const,
      request: {
        query: CompareQuerySchema.extend({
          candidate: CompareQuerySchema.shape.candidate.meta({
            example: COMPARE_EXAMPLE.candidate,
          }),
          hardware_profile: CompareQuerySchema.shape.hardware_profile.meta({
            example: COMPARE_EXAMPLE.hardware_profile,
          }),
        }).strict(),
      },
      responses: {
        200: {
          description: 'the comparison',
          content: { 'application/json': { schema: CompareResultSchema } },
        },
        ...errorResponses([...TOKEN_ERRORS, 404, 409, 422], {
          404: 'no runs for the candidate, or no baseline runs',
          409: 'comparison keys differ (allow_key_mismatch=true to compare anyway, flagged)',
        }),
      },
    }),
    async (c) => {
      const out = await compareScenario(
        (filter) => loadRuns(deps.catalog, filter, cap),
        c.req.valid('query'),
        {
          scenarios: deps.scenarios,
          cap,
          loadIntervals: (runs) => intervalsOfRuns(runs, deps),
        },
      )
      if (!out.ok) throw new ApiError(out.status, out.code, out.message, { field: out.field })
      const { result } = out
      return c.json(result, 200)
    },
  )
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/changes',
      summary:
        "Change points in a scenario's history: E-divisive means with a corrected t-test, and the latest point vs the previous N",
      description:
        'Runs of the scenario (iperf3 tcp for throughput_bps, qperf tcp_lat for latency_s, status ok, server documents left out) grouped by comparison key and ordered by started_at (else collected_at); one point per campaign (its median) or per run. A change point needs p ≤ max_p after a Bonferroni correction for picking the best split, and |change| ≥ min_magnitude. ' +
        accessNote('reader', options.anonymousLoopbackReads),
      operationId: 'listChangePoints',
      tags: ['runs'],
      security: securityFor('reader', options.anonymousLoopbackReads),
      middleware: [requireScope('reader', auth)] as const,
      request: { query: ChangesQuerySchema.strict() },
      responses: {
        200: {
          description: 'change points per comparison key',
          content: { 'application/json': { schema: ChangesResultSchema } },
        },
        ...errorResponses([...TOKEN_ERRORS, 404, 422], { 404: 'no runs for the scenario' }),
      },
    }),
    async (c) => {
      const query = c.req.valid('query')
      const test =
        query.metric === 'throughput_bps'
          ? { tool: 'iperf3', test: 'tcp' }
          : { tool: 'qperf', test: 'tcp_lat' }
      const runs = await loadRuns(
        deps.catalog,
        {
          ...test,
          status: 'ok',
          scenario: query.scenario,
          hardware_profile: query.hardware_profile,
        },
        cap,
      )
      if (runs.length === 0)
        throw new ApiError(
          404,
          'no-runs',
          `no ${test.tool} ${test.test} runs for scenario '${query.scenario}'`,
          { field: 'scenario' },
        )
      const series = changesOfRuns({
        runs,
        metric: query.metric,
        by: query.by,
        maxPValue: query.max_p,
        minMagnitude: query.min_magnitude,
        previous: query.previous,
      })
      const advice: string[] = []
      if (runs.length >= cap)
        advice.push(
          `only the newest ${cap} runs were read; narrow the filters (hardware_profile) for the whole history`,
        )
      for (const s of series) {
        if (s.points.length < 6)
          advice.push(
            `${s.comparison_key}: ${s.points.length} point(s); change points need at least 6 (3 on each side)`,
          )
        if (s.untimed_runs > 0)
          advice.push(
            `${s.comparison_key}: ${s.untimed_runs} run(s) without started_at or collected_at were left out`,
          )
        if (s.older_points_left_out > 0)
          advice.push(`${s.comparison_key}: only the newest 2000 points were searched`)
      }
      return c.json(
        {
          scenario: query.scenario,
          metric: query.metric,
          by: query.by,
          max_p_value: query.max_p,
          min_magnitude: query.min_magnitude,
          method:
            'E-divisive means (energy statistic, binary segmentation, at least 3 points a side); each split tested with a pooled two-sided t-test whose p is multiplied by the number of candidate splits; latest: t prediction interval from the previous N points',
          series,
          advice,
        },
        200,
      )
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
