import { compareRuns, describeSample } from '#core/compare/index.ts'
import type { CompareMetric, CompareResult } from '#core/compare/index.ts'
import { emptyRunRow } from '#core/rows.ts'
import type { RunRow } from '#schemas/tables.ts'
import { formatChange, formatCv, formatRatioChange, metricName } from './format.ts'
import { DEFAULT_TOLERANCE, judgeChange } from './regression-rule.ts'
import type { Verdict } from './regression-rule.ts'
import type { DateRange } from './report-window.ts'
import type {
  BaselineSampleRow,
  ChangeSummary,
  GroupId,
  GroupSummary,
  OverheadSummary,
  PlatformPairSummary,
  RatioCi,
  ReportModel,
  WindowRunRow,
} from './report-model.ts'

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

/** Repetitions per side below which no change is judged. */
export const DEFAULT_REPORT_MIN_N = 5

/** Seed of every bootstrap in a report, so a rerun gives the same intervals. */
export const REPORT_SEED = 20_191_001

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
}

const METRICS: Array<{ metric: CompareMetric; tool: string }> = [
  { metric: 'throughput_bps', tool: 'iperf3' },
  { metric: 'latency_s', tool: 'qperf' },
]

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
  const overhead = overheadOf(input.baselineSamples)
  const platforms = platformPairs(input.current, input.pairs ?? DEFAULT_PLATFORM_PAIRS)
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
    platforms,
    notes: notesOf(groups, changes, overhead, platforms, input.current, tolerance, minN),
    method: {
      statistics: 'median, p5/p95 (type 7 quantiles), CV = sd/mean; unstable when CV > 0.1',
      change: `median(current window) / median(previous ${input.previous.windows} window(s)), percentile bootstrap 95% CI, seeded`,
      regression_rule: `regression when the whole CI lies beyond ${tolerance * 100}% in the bad direction (throughput: CI high < ${1 - tolerance}; latency: CI low > ${1 + tolerance}); improvement likewise; no verdict below n = ${minN} per side or across comparison keys`,
      overhead:
        'vs bare-metal runs with the same comparison key (analytics/queries/tcp-throughput-samples-with-baseline.sql), bare-metal runs of the report window only',
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
  if (result.refused !== null) {
    verdict = 'key-mismatch'
    note = result.refused
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
  }
}

function overheadOf(samples: BaselineSampleRow[]): OverheadSummary[] {
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
      overhead: result.overhead,
      note:
        result.baseline.n === 0 ? 'no bare-metal run shares this comparison key' : result.refused,
    }
  })
}

function platformPairs(rows: WindowRunRow[], pairs: PlatformPair[]): PlatformPairSummary[] {
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
            result.refused ??
            (os.length === 0 || kv.length === 0 ? 'one side has no runs in the window' : null),
        })
      }
    }
  }
  return out
}

function notesOf(
  groups: GroupSummary[],
  changes: ChangeSummary[],
  overhead: OverheadSummary[],
  platforms: PlatformPairSummary[],
  current: WindowRunRow[],
  tolerance: number,
  minN: number,
): string[] {
  const notes: string[] = []
  const name = (g: GroupId) =>
    `${g.scenario} (${g.platform}, ${g.hardware_profile}) ${metricName(g.metric)}`
  for (const c of changes) {
    if (c.verdict === 'regression' || c.verdict === 'improvement') {
      notes.push(
        `${c.verdict === 'regression' ? 'Regression' : 'Improvement'}: ${name(c)} ${formatRatioChange(c.ratio)}; the whole CI is beyond ±${formatChange(1 + tolerance).slice(1)}.`,
      )
    }
  }
  for (const g of groups) {
    if (g.stats?.unstable)
      notes.push(
        `Unstable: ${name(g)} CV ${formatCv(g.stats.cv)} > ${g.stats.unstable_cv_threshold}.`,
      )
    if (g.comparison_keys.length > 1)
      notes.push(
        `Comparison keys mixed: ${name(g)} spans ${g.comparison_keys.length} keys (${g.comparison_keys.join(', ')}); its figures mix settings.`,
      )
    if (g.n > 0 && g.n < minN) notes.push(`Few repetitions: ${name(g)} n = ${g.n} < ${minN}.`)
  }
  for (const c of changes)
    if (c.verdict === 'key-mismatch')
      notes.push(`Not compared with the previous window: ${name(c)}: ${c.note}`)
  for (const p of platforms)
    if (p.refused?.startsWith('comparison keys differ'))
      notes.push(
        `OpenStack vs KubeVirt ${p.label} (${p.openstack_scenario} vs ${p.kubevirt_scenario}, ${p.hardware_profile}) ${metricName(p.metric)}: ${p.refused}`,
      )
  for (const o of overhead)
    if (o.note && o.baseline_n === 0)
      notes.push(`No overhead for ${o.scenario} (${o.platform}, ${o.hardware_profile}): ${o.note}.`)
  const failed = current.filter((r) => r.status === 'error')
  if (failed.length > 0) {
    const counts = new Map<string, number>()
    for (const r of failed)
      counts.set(
        `${r.scenario ?? '?'} ${r.tool}`,
        (counts.get(`${r.scenario ?? '?'} ${r.tool}`) ?? 0) + 1,
      )
    notes.push(
      `Failed runs (status error): ${failed.length} in the window (${[...counts].map(([k, n]) => `${k} ×${n}`).join(', ')}).`,
    )
  }
  return notes
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

function ratioOf(result: CompareResult): RatioCi | null {
  return result.ratio
    ? {
        estimate: result.ratio.estimate,
        ci_low: result.ratio.ci_low,
        ci_high: result.ratio.ci_high,
      }
    : null
}

function toRunRow(row: WindowRunRow): RunRow {
  return {
    ...emptyRunRow(),
    run_id: row.run_id,
    tool: row.tool,
    test: row.test,
    status: row.status,
    platform: row.platform,
    scenario: row.scenario,
    hardware_profile: row.hardware_profile,
    comparison_key: row.comparison_key,
    throughput_bps: row.throughput_bps,
    latency_s: row.latency_s,
    ceiling_fraction: row.ceiling_fraction,
  }
}

const SEP = '\u0000'

function groupRows(rows: WindowRunRow[]): Map<string, WindowRunRow[]> {
  const groups = new Map<string, WindowRunRow[]>()
  for (const row of rows) {
    const key = [row.platform ?? '(none)', row.scenario ?? '(none)', row.hardware_profile].join(SEP)
    groups.set(key, [...(groups.get(key) ?? []), row])
  }
  return groups
}

function idOf(key: string, metric: CompareMetric): GroupId {
  const [platform, scenario, hardware_profile] = key.split(SEP)
  return { metric, platform, scenario, hardware_profile }
}

const PLATFORM_ORDER = ['baremetal', 'openstack', 'kubevirt']
const rank = (p: string) =>
  PLATFORM_ORDER.includes(p) ? PLATFORM_ORDER.indexOf(p) : PLATFORM_ORDER.length

function sortKeys(keys: string[]): string[] {
  return keys.sort((a, b) => compareIds(idOf(a, 'throughput_bps'), idOf(b, 'throughput_bps')))
}

function sortGroups<T extends GroupId>(groups: T[]): T[] {
  return groups.sort((a, b) =>
    a.metric === b.metric ? compareIds(a, b) : a.metric === 'throughput_bps' ? -1 : 1,
  )
}

function compareIds(a: GroupId, b: GroupId): number {
  return (
    rank(a.platform) - rank(b.platform) ||
    a.scenario.localeCompare(b.scenario) ||
    a.hardware_profile.localeCompare(b.hardware_profile)
  )
}
