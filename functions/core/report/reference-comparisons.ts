import { OVERHEAD_DEFINITION, compareRuns } from '#core/compare/index.ts'
import type { CompareResult } from '#core/compare/index.ts'
import type {
  BaselineSampleRow,
  OverheadSummary,
  ReportOverhead,
  PlatformPairSummary,
  WindowRunRow,
} from './report-model.ts'
import { METRICS, REPORT_SEED, ratioOf, toRunRow } from './report-sets.ts'

/** The report's fixed references: matched bare metal, and OpenStack vs KubeVirt. */

/** A pair of comparable scenarios: same path shape on OpenStack and KubeVirt. */
export interface PlatformPair {
  label: string
  openstack: string
  kubevirt: string
}

/** The thesis' comparable pairs: same node (one bridge) and across nodes (VXLAN). */
export const DEFAULT_PLATFORM_PAIRS: PlatformPair[] = [
  { label: 'same node', openstack: 'os-s3', kubevirt: 'kv-s1' },
  { label: 'cross node', openstack: 'os-s1', kubevirt: 'kv-s2' },
]

/** Overhead of each virtual scenario vs the bare-metal runs the notebook's query matched to it. */
export function compareWithBaseline(samples: BaselineSampleRow[]): OverheadSummary[] {
  const bySet = new Map<string, BaselineSampleRow[]>()
  for (const row of samples) {
    const key = [
      row.platform,
      row.scenario,
      row.hardware_profile ?? '(none)',
      row.comparison_key ?? '',
    ].join('\u0000')
    bySet.set(key, [...(bySet.get(key) ?? []), row])
  }
  return [...bySet.values()].map((rows) => {
    const first = rows[0]
    const toRow = (r: BaselineSampleRow) =>
      toRunRow({
        ...r,
        tool: 'iperf3',
        test: 'tcp',
        status: 'ok',
        hardware_profile: r.hardware_profile ?? '(none)',
        latency_s: null,
        ceiling_fraction: null,
        started_at: null,
        date: null,
        platform: r.role === 'baseline' ? 'baremetal' : r.platform,
        scenario: r.role === 'baseline' ? 'baseline' : r.scenario,
      })
    const result = compareRuns({
      baseline: rows.filter((r) => r.role === 'baseline').map(toRow),
      candidate: rows.filter((r) => r.role === 'scenario').map(toRow),
      metric: 'throughput_bps',
      seed: REPORT_SEED,
    })
    return {
      platform: first.platform,
      scenario: first.scenario,
      hardware_profile: first.hardware_profile ?? '(none)',
      comparison_key: first.comparison_key,
      n: result.candidate.n,
      baseline_n: result.baseline.n,
      scenario_median: result.candidate.stats?.median ?? null,
      baseline_median: result.baseline.stats?.median ?? null,
      overhead: reportOverhead(result),
      note:
        result.baseline.n === 0
          ? 'no bare-metal run shares this comparison key'
          : result.refused === null
            ? null
            : `comparison keys differ: ${result.key_differences.join('; ')}`,
    }
  })
}

/** KubeVirt vs OpenStack for each comparable pair and hardware profile with runs. */
export function comparePlatforms(
  rows: WindowRunRow[],
  pairs: PlatformPair[],
): PlatformPairSummary[] {
  const out: PlatformPairSummary[] = []
  const profiles = [...new Set(rows.map((r) => r.hardware_profile))].sort()
  for (const { metric, tool } of METRICS) {
    for (const profile of profiles) {
      for (const pair of pairs) {
        const side = (platform: string, scenario: string) =>
          rows.filter(
            (r) =>
              r.tool === tool &&
              r.hardware_profile === profile &&
              r.platform === platform &&
              r.scenario === scenario,
          )
        const os = side('openstack', pair.openstack)
        const kv = side('kubevirt', pair.kubevirt)
        if (os.length === 0 && kv.length === 0) continue
        const result = compareRuns({
          baseline: os.map(toRunRow),
          candidate: kv.map(toRunRow),
          metric,
          seed: REPORT_SEED,
        })
        out.push({
          label: pair.label,
          metric,
          hardware_profile: profile,
          openstack_scenario: pair.openstack,
          kubevirt_scenario: pair.kubevirt,
          openstack_n: result.baseline.n,
          kubevirt_n: result.candidate.n,
          openstack_median: result.baseline.stats?.median ?? null,
          kubevirt_median: result.candidate.stats?.median ?? null,
          ratio: ratioOf(result),
          refused:
            os.length === 0 || kv.length === 0
              ? `no ${os.length === 0 ? 'OpenStack' : 'KubeVirt'} runs in the window`
              : result.refused === null
                ? null
                : `comparison keys differ: ${result.key_differences.join('; ')}`,
        })
      }
    }
  }
  return out
}

/**
 * The overhead `GET /v1/compare` gives, with its Welch-log interval; below 3 runs a side (where
 * the API gives no interval) the point estimate of the same ratio of geometric means, CI null.
 */
function reportOverhead(result: CompareResult): ReportOverhead | null {
  if (result.overhead) return result.overhead
  const ratio = result.point_estimates.ratio_of_geometric_means
  if (ratio === null) return null
  const definition = OVERHEAD_DEFINITION.throughput_bps
  return { definition, estimate: 1 - ratio, ci_low: null, ci_high: null }
}
