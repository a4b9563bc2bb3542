import { compareRuns, describeSample } from '#core/compare/index.ts'
import type { CompareMetric } from '#core/compare/index.ts'
import {
  DEFAULT_TOLERANCE,
  NO_CURRENT_RUNS,
  NO_PREVIOUS_RUNS,
  judgeChange,
} from './regression-rule.ts'
import type { Verdict } from './regression-rule.ts'
import type { DateRange } from './report-window.ts'
import type {
  BaselineSampleRow,
  ChangeSummary,
  GroupId,
  GroupSummary,
  ReportModel,
  SkippedFileNote,
  WindowRunRow,
} from './report-model.ts'
import {
  DEFAULT_PLATFORM_PAIRS,
  compareLatencyWithBaseline,
  compareWithBaseline,
  comparePlatforms,
} from './reference-comparisons.ts'
import type { PlatformPair } from './reference-comparisons.ts'
import { historySeries } from './history-charts.ts'
import { callOuts } from './report-notes.ts'
import {
  METRICS,
  REPORT_SEED,
  groupRows,
  idOf,
  ratioOf,
  sortGroups,
  sortKeys,
  toRunRow,
} from './report-sets.ts'

export type { PlatformPair } from './reference-comparisons.ts'

/** Repetitions per side below which no change is judged. */
export const DEFAULT_REPORT_MIN_N = 5

/** Everything the report is built from: query rows plus the window and rule settings. */
export interface BuildReportInput {
  reportId: string
  createdAt: string
  window: DateRange
  previous: DateRange & { windows: number }
  current: WindowRunRow[]
  previousRuns: WindowRunRow[]
  baselineSamples: BaselineSampleRow[]
  tolerance?: number
  minN?: number
  pairs?: PlatformPair[]
  /** Files the reader left out because they cannot be read (named in the report). */
  skippedFiles?: readonly SkippedFileNote[]
}

/**
 * Turns query rows into the report model: per scenario and hardware profile the statistics of
 * throughput and latency, the change since the previous window judged by the CI rule, overhead vs
 * matched bare metal, OpenStack vs KubeVirt for comparable scenarios, and call-outs. Pure.
 */
export function buildReport(input: BuildReportInput): ReportModel {
  const tolerance = input.tolerance ?? DEFAULT_TOLERANCE
  const minN = input.minN ?? DEFAULT_REPORT_MIN_N
  const groups: GroupSummary[] = []
  const changes: ChangeSummary[] = []
  for (const { metric, tool } of METRICS) {
    const current = groupRows(input.current.filter((r) => r.tool === tool))
    const previous = groupRows(input.previousRuns.filter((r) => r.tool === tool))
    for (const [key, rows] of current) groups.push(summarizeGroup(idOf(key, metric), rows, metric))
    for (const key of sortKeys([...new Set([...current.keys(), ...previous.keys()])])) {
      changes.push(
        changeOf(
          idOf(key, metric),
          previous.get(key) ?? [],
          current.get(key) ?? [],
          tolerance,
          minN,
        ),
      )
    }
  }
  const overhead = compareWithBaseline(input.baselineSamples)
  const platforms = comparePlatforms(input.current, input.pairs ?? DEFAULT_PLATFORM_PAIRS)
  const regressions = changes.filter((c) => c.verdict === 'regression').length
  const improvements = changes.filter((c) => c.verdict === 'improvement').length
  return {
    schema: 'netlake-report/1',
    report_id: input.reportId,
    created_at: input.createdAt,
    window: input.window,
    previous: input.previous,
    tolerance,
    min_n: minN,
    totals: {
      runs: input.current.length,
      failed: input.current.filter((r) => r.status === 'error').length,
      groups: groups.length,
      regressions,
      improvements,
    },
    groups: sortGroups(groups),
    changes,
    overhead,
    latency_overhead: compareLatencyWithBaseline(input.current),
    platforms,
    history: historySeries([...input.previousRuns, ...input.current]),
    skipped_files: (input.skippedFiles ?? []).map((f) => ({ key: f.key, reason: f.reason })),
    notes: callOuts(groups, changes, overhead, platforms, input.current, tolerance, minN),
    method: {
      statistics: 'median, p5/p95 (type 7 quantiles), CV = sd/mean; unstable when CV > 0.1',
      change: `ratio of geometric means, current window / previous ${input.previous.windows} window(s), Welch t 95% CI on log values (none below 3 runs a side); the medians are shown beside it`,
      regression_rule: `regression when the whole CI lies beyond ${tolerance * 100}% in the bad direction (throughput: CI high < ${1 - tolerance}; latency: CI low > ${1 + tolerance}); improvement likewise; no verdict below n = ${minN} per side or across comparison keys`,
      overhead:
        "vs bare-metal runs with the same comparison key (sql/queries/tcp-throughput-samples-with-baseline.sql), bare-metal runs of the report window only; latency likewise vs the window's bare-metal qperf runs matched as GET /v1/compare?metric=latency_s does (band 10%)",
      excluded:
        "server-side iperf3 documents (role = 'server'); failed runs (status 'error') are counted, not measured",
    },
  }
}

function changeOf(
  id: GroupId,
  previous: WindowRunRow[],
  current: WindowRunRow[],
  tolerance: number,
  minN: number,
): ChangeSummary {
  const result = compareRuns({
    baseline: previous.map(toRunRow),
    candidate: current.map(toRunRow),
    metric: id.metric,
    seed: REPORT_SEED,
  })
  const ratio = ratioOf(result)
  let verdict: Verdict
  let note: string | null = null
  if (result.baseline.n === 0 || result.candidate.n === 0) {
    verdict = 'insufficient-data'
    note = result.baseline.n === 0 ? NO_PREVIOUS_RUNS : NO_CURRENT_RUNS
  } else if (result.refused !== null) {
    verdict = 'key-mismatch'
    note = `comparison keys differ between the windows: ${result.key_differences.join('; ')}`
  } else if (result.baseline.n < minN || result.candidate.n < minN || ratio === null) {
    verdict = 'insufficient-data'
    note = `n = ${result.baseline.n} previous, ${result.candidate.n} current; at least ${minN} per side are needed`
  } else {
    verdict = judgeChange(ratio, id.metric, tolerance)
  }
  return {
    ...id,
    previous_n: result.baseline.n,
    current_n: result.candidate.n,
    previous_median: result.baseline.stats?.median ?? null,
    current_median: result.candidate.stats?.median ?? null,
    ratio,
    verdict,
    note,
    limited_by: result.candidate.n > 0 ? (result.candidate.bottleneck?.limited_by ?? null) : null,
    previous_limited_by:
      result.baseline.n > 0 ? (result.baseline.bottleneck?.limited_by ?? null) : null,
  }
}

function summarizeGroup(id: GroupId, rows: WindowRunRow[], metric: CompareMetric): GroupSummary {
  const values = rows
    .filter((r) => r.status !== 'error')
    .map((r) => r[metric])
    .filter((v): v is number => v !== null && Number.isFinite(v))
  return {
    ...id,
    n: values.length,
    failed: rows.filter((r) => r.status === 'error').length,
    comparison_keys: [
      ...new Set(
        rows
          .filter((r) => r.status !== 'error')
          .map((r) => r.comparison_key)
          .filter((k): k is string => k !== null),
      ),
    ].sort(),
    stats: describeSample(values),
  }
}
