import { OVERHEAD_DEFINITION, compareRuns } from '#core/compare/index.ts'
import type { CompareResult } from '#core/compare/index.ts'
import { bottleneckAdvice } from '#core/compare/advice.ts'
import type { RunRow } from '#schemas/tables.ts'
import type { BaselineSampleRow, ReportOverhead, ReportRatio } from './report-model.ts'
import { REPORT_SEED, bottleneckColumnsOf, runRowWith } from './report-sets.ts'
import { appendTo } from '#core/append-to.ts'

/**
 * The one grouping of `tcp-throughput-samples-with-baseline` rows into baseline comparisons: the
 * scheduled report's overhead tables and the notebook's overhead page both call it, so they cannot
 * group (or compare) differently. Pure; bundled into the notebook.
 */

/** One (platform, scenario, hardware profile, comparison key) group vs its matched bare metal. */
export interface BaselineGroup {
  platform: string
  scenario: string
  hardware_profile: string
  comparison_key: string | null
  /** `compareRuns` (the function behind `GET /v1/compare`): the group vs its bare-metal runs. */
  result: CompareResult
}

/** A query row as the `RunRow` compareRuns takes; a baseline row is the bare-metal run itself. */
export function sampleRunRow(row: BaselineSampleRow): RunRow {
  const baseline = row.role === 'baseline'
  return runRowWith({
    ...bottleneckColumnsOf(row),
    run_id: row.run_id,
    tool: 'iperf3',
    test: 'tcp',
    status: 'ok',
    throughput_bps: row.throughput_bps,
    hardware_profile: row.hardware_profile ?? '(none)',
    comparison_key: row.comparison_key,
    platform: baseline ? 'baremetal' : row.platform,
    scenario: baseline ? 'baseline' : row.scenario,
  })
}

/**
 * `compareRuns` for each (platform, scenario, hardware profile, comparison key) group of the rows,
 * in the order the groups first appear: its runs vs the bare-metal runs of its key, with the
 * report's seed. Never mixes two keys in one comparison.
 */
export function compareBaselineGroups(rows: readonly BaselineSampleRow[]): BaselineGroup[] {
  const bySet = new Map<string, BaselineSampleRow[]>()
  for (const row of rows) {
    const key = [
      row.platform,
      row.scenario,
      row.hardware_profile ?? '(none)',
      row.comparison_key ?? '',
    ].join('\u0000')
    appendTo(bySet, key, row)
  }
  return [...bySet.values()].map((group) => {
    const first = group[0]
    return {
      platform: first.platform,
      scenario: first.scenario,
      hardware_profile: first.hardware_profile ?? '(none)',
      comparison_key: first.comparison_key,
      result: compareRuns({
        baseline: group.filter((r) => r.role === 'baseline').map(sampleRunRow),
        candidate: group.filter((r) => r.role === 'scenario').map(sampleRunRow),
        metric: 'throughput_bps',
        seed: REPORT_SEED,
      }),
    }
  })
}

/**
 * The API's ratio with its Welch-log interval; below 3 runs a side (where the API gives no
 * interval) the point estimate of the same ratio of geometric means, CI null.
 */
export function ratioOrPoint(result: CompareResult): ReportRatio | null {
  if (result.ratio) {
    const { estimate, ci_low, ci_high } = result.ratio
    return { estimate, ci_low, ci_high }
  }
  const ratio = result.point_estimates.ratio_of_geometric_means
  return ratio === null ? null : { estimate: ratio, ci_low: null, ci_high: null }
}

/** The API's overhead with its interval; below 3 runs a side the point estimate alone, CI null. */
export function overheadOrPoint(result: CompareResult): ReportOverhead | null {
  if (result.overhead) return result.overhead
  const ratio = result.point_estimates.ratio_of_geometric_means
  if (ratio === null) return null
  const definition = OVERHEAD_DEFINITION[result.metric]
  const estimate = result.metric === 'throughput_bps' ? 1 - ratio : ratio - 1
  return { definition, estimate, ci_low: null, ci_high: null }
}

/** What limited each side and its CPU per Gbit/s, as the API's `bottleneck`, and its advice. */
export function limitsOf(result: CompareResult): {
  limited_by: string | null
  baseline_limited_by: string | null
  cpu_per_gbps: number | null
  baseline_cpu_per_gbps: number | null
  limit_advice: string[]
} {
  return {
    limited_by: result.candidate.bottleneck?.limited_by ?? null,
    baseline_limited_by: result.baseline.bottleneck?.limited_by ?? null,
    cpu_per_gbps: result.candidate.bottleneck?.cpu_percent_per_gbps_median ?? null,
    baseline_cpu_per_gbps: result.baseline.bottleneck?.cpu_percent_per_gbps_median ?? null,
    limit_advice: bottleneckAdvice(result),
  }
}
