import { compareRuns, matchBaseline } from '#core/compare/index.ts'
import type { CompareResult } from '#core/compare/index.ts'
import {
  compareBaselineGroups,
  limitsOf,
  overheadOrPoint,
  ratioOrPoint,
} from './baseline-groups.ts'
import type {
  BaselineSampleRow,
  OverheadSummary,
  PlatformPairSummary,
  WindowRunRow,
} from './report-model.ts'
import { METRICS, REPORT_SEED, ratioOf, toRunRow } from './report-sets.ts'
import { appendTo } from '#core/append-to.ts'

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

/**
 * Overhead of each virtual scenario vs the bare-metal runs the notebook's query matched to it:
 * `compareBaselineGroups`, the grouping the notebook's overhead page uses, so the report, the
 * notebook and `GET /v1/compare` give the same ratio, CI, verdict and `limited_by`.
 */
export function compareWithBaseline(samples: BaselineSampleRow[]): OverheadSummary[] {
  return compareBaselineGroups(samples).map(({ result, ...group }) => summaryOf(group, result))
}

/**
 * Latency (qperf tcp_lat) of each virtual scenario vs the window's bare-metal latency runs of the
 * same comparison key, as `GET /v1/compare?metric=latency_s` picks them (`matchBaseline`, status
 * ok, band 10 %): one entry per (platform, scenario, hardware profile, comparison key), in row
 * order.
 * `limited_by` is a throughput notion: the API gives none for latency, so neither does this.
 */
export function compareLatencyWithBaseline(rows: WindowRunRow[]): OverheadSummary[] {
  const latency = rows.filter(
    (r) => r.tool === 'qperf' && r.test === 'tcp_lat' && r.status === 'ok',
  )
  const bareMetal = latency.filter((r) => r.platform === 'baremetal').map(toRunRow)
  const bySet = new Map<string, WindowRunRow[]>()
  for (const row of latency) {
    if (row.platform === 'baremetal' || row.platform === null || row.scenario === null) continue
    const key = [row.platform, row.scenario, row.hardware_profile, row.comparison_key ?? ''].join(
      '\u0000',
    )
    appendTo(bySet, key, row)
  }
  return [...bySet.values()].map((set) => {
    const first = set[0]
    const candidate = set.map(toRunRow)
    const result = compareRuns({
      baseline: matchBaseline(candidate, bareMetal),
      candidate,
      metric: 'latency_s',
      seed: REPORT_SEED,
    })
    const group = {
      platform: first.platform as string,
      scenario: first.scenario as string,
      hardware_profile: first.hardware_profile,
      comparison_key: first.comparison_key,
    }
    return summaryOf(group, result)
  })
}

function summaryOf(
  group: Pick<OverheadSummary, 'platform' | 'scenario' | 'hardware_profile' | 'comparison_key'>,
  result: CompareResult,
): OverheadSummary {
  return {
    ...group,
    n: result.candidate.n,
    baseline_n: result.baseline.n,
    scenario_median: result.candidate.stats?.median ?? null,
    baseline_median: result.baseline.stats?.median ?? null,
    overhead: overheadOrPoint(result),
    ratio: ratioOrPoint(result),
    verdict: result.verdict.verdict,
    verdict_reason: result.verdict.reason,
    band: result.verdict.band,
    ...limitsOf(result),
    note:
      result.baseline.n === 0
        ? 'no bare-metal run shares this comparison key'
        : result.refused === null
          ? null
          : `comparison keys differ: ${result.key_differences.join('; ')}`,
  }
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
          verdict:
            os.length === 0 || kv.length === 0 || result.refused !== null
              ? null
              : result.verdict.verdict,
          openstack_limited_by: result.baseline.bottleneck?.limited_by ?? null,
          kubevirt_limited_by: result.candidate.bottleneck?.limited_by ?? null,
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
