import type { CompareMetric } from '#core/compare/index.ts'
import { CPU_BOUND_ADVICE } from '#core/compare/advice.ts'
import {
  MISSING,
  formatChange,
  formatChangeCi,
  formatCv,
  formatLimits,
  formatOverhead,
  formatPercent,
  formatRatio,
  formatRatioChange,
  formatValue,
  metricName,
} from './format.ts'
import { distinguishingLabels } from './group-labels.ts'
import { NO_CURRENT_RUNS, NO_PREVIOUS_RUNS } from './regression-rule.ts'
import type {
  ChangeSummary,
  GroupId,
  GroupSummary,
  OverheadSummary,
  ReportModel,
} from './report-model.ts'

/**
 * The report's tables as plain strings (header + rows), built once from the model so the HTML and
 * the Markdown renderers show the very same cells.
 */

/** A table: a title, its column headers and its rows of cells. */
export interface ReportTable {
  id: string
  title: string
  header: string[]
  rows: string[][]
  /** Said once under the table: what would otherwise repeat in every row. */
  footnotes?: string[]
}

const VERDICT_TEXT: Record<string, string> = {
  regression: '**REGRESSION**',
  improvement: 'improvement',
  'within-tolerance': 'within tolerance',
  inconclusive: 'inconclusive',
  'insufficient-data': 'insufficient data',
  'key-mismatch': 'not comparable (comparison keys differ)',
}

/** Verdict as shown in a table cell (Markdown emphasis for regressions; HTML strips it). */
export function verdictText(verdict: string): string {
  return VERDICT_TEXT[verdict] ?? verdict
}

/** A change's verdict with its real reason when none could be judged. */
export function changeVerdict(c: ChangeSummary, minN: number): string {
  if (c.note === NO_PREVIOUS_RUNS) return `new (${NO_PREVIOUS_RUNS})`
  if (c.note === NO_CURRENT_RUNS) return `gone (${NO_CURRENT_RUNS})`
  if (c.verdict === 'insufficient-data') return `insufficient data (n < ${minN} per side)`
  return verdictText(c.verdict)
}

/** True when both sides have at least 2 runs: below that a bootstrap CI is degenerate. */
const hasCi = (...ns: number[]) => Math.min(...ns) >= 2

const sameGroup = (a: GroupId, b: GroupId) =>
  a.metric === b.metric &&
  a.platform === b.platform &&
  a.scenario === b.scenario &&
  a.hardware_profile === b.hardware_profile

/** The overheads of a group (one per comparison key), each with what tells its keys apart. */
function overheadsOf(model: ReportModel, g: GroupSummary): Array<[OverheadSummary, string]> {
  const all = g.metric === 'throughput_bps' ? model.overhead : model.latency_overhead
  const list = all.filter(
    (o) =>
      o.platform === g.platform &&
      o.scenario === g.scenario &&
      o.hardware_profile === g.hardware_profile &&
      o.overhead !== null,
  )
  const labels = distinguishingLabels(list)
  return list.map((o, i) => [
    o,
    list.length > 1 ? `${labels[i].slice(o.scenario.length + 3)}: ` : '',
  ])
}

/**
 * The first table: per scenario and metric, n, median, the ratio to matched bare metal (geometric
 * means, Welch-log 95% CI) with its verdict, what limited each side, the change vs the previous
 * window with its CI and verdict, and any flag. The answer at a glance, as `GET /v1/compare` gives it.
 */
function summaryTable(model: ReportModel): ReportTable {
  const vsBareMetal = (g: GroupSummary, part: (o: OverheadSummary) => string): string => {
    if (g.platform === 'baremetal') return 'baseline'
    const list = overheadsOf(model, g)
    if (list.length === 0) return MISSING
    return list.map(([o, tag]) => `${tag}${part(o)}`).join('; ')
  }
  const limits = (g: GroupSummary, change: ChangeSummary | undefined): string => {
    const list = g.platform === 'baremetal' ? [] : overheadsOf(model, g)
    if (list.length === 0) return change?.limited_by ?? MISSING
    return list
      .map(([o, tag]) => `${tag}${formatLimits(o.limited_by, o.baseline_limited_by)}`)
      .join('; ')
  }
  const flags = (g: GroupSummary): string => {
    const out: string[] = []
    if (g.stats?.unstable) out.push(`unstable (CV ${formatCv(g.stats.cv)})`)
    if (g.n > 0 && g.n < model.min_n) out.push(`few runs (n < ${model.min_n})`)
    if (g.comparison_keys.length > 1) out.push(`${g.comparison_keys.length} comparison keys`)
    if (g.failed > 0) out.push(`${g.failed} failed`)
    return out.join(', ') || MISSING
  }
  return {
    id: 'table-summary',
    title: 'Summary: what changed, by how much, how sure',
    header: [
      'Scenario',
      'Platform',
      'Hardware profile',
      'Metric',
      'n',
      'Median',
      'Ratio to bare metal [95% CI]',
      'Verdict vs bare metal',
      'Limited by (this / bare metal)',
      'Change vs previous window [95% CI]',
      'Verdict',
      'Flags',
    ],
    rows: model.groups.map((g) => {
      const change = model.changes.find((c) => sameGroup(c, g))
      return [
        g.scenario,
        g.platform,
        g.hardware_profile,
        metricName(g.metric),
        String(g.n),
        formatValue(g.metric, g.stats?.median ?? null),
        vsBareMetal(g, (o) => formatRatio(o.ratio)),
        g.platform === 'baremetal' ? MISSING : vsBareMetal(g, (o) => o.verdict),
        limits(g, change),
        change ? formatChangeCi(change.ratio, hasCi(change.previous_n, change.current_n)) : MISSING,
        change ? changeVerdict(change, model.min_n) : MISSING,
        flags(g),
      ]
    }),
  }
}

/** A CPU cost as the API's advice rounds it (3 significant digits); "?" when unknown. */
const formatCost = (x: number | null) => (x === null ? '?' : String(Number(x.toPrecision(3))))

/** How the table names the shared CPU-bound advice in its rows; said in full once, under it. */
const CPU_BOUND_PREFIX = `${CPU_BOUND_ADVICE}; compare `

/**
 * Throughput overhead vs matched bare metal. The advice every CPU-bound row shares is said once
 * under the table; each row keeps what differs (its CPU per Gbit/s figures, other advice).
 */
function overheadTable(model: ReportModel): ReportTable {
  let cpuBound = false
  const meaning = (o: OverheadSummary): string =>
    o.limit_advice
      .map((line) => {
        if (!line.startsWith(CPU_BOUND_PREFIX)) return line
        cpuBound = true
        return `CPU per Gbit/s: ${formatCost(o.baseline_cpu_per_gbps)} → ${formatCost(o.cpu_per_gbps)}`
      })
      .join(' ') || MISSING
  const rows = model.overhead.map((o) => [
    o.scenario,
    o.platform,
    o.hardware_profile,
    `${o.n} / ${o.baseline_n}`,
    formatValue('throughput_bps', o.scenario_median),
    formatValue('throughput_bps', o.baseline_median),
    formatRatio(o.ratio),
    o.overhead === null
      ? (o.note ?? MISSING)
      : formatOverhead(o.overhead, hasCi(o.n, o.baseline_n)),
    `${o.verdict} (±${formatPercent(o.band)})`,
    formatLimits(o.limited_by, o.baseline_limited_by),
    meaning(o),
  ])
  return {
    id: 'table-overhead',
    title: 'Throughput overhead vs matched bare metal (same comparison key)',
    header: [
      'Scenario',
      'Platform',
      'Hardware profile',
      'n / baseline n',
      'Scenario median',
      'Baseline median',
      'Ratio [95% CI]',
      'Overhead (95% CI)',
      'Verdict (band ±δ)',
      'Limited by (scenario / bare metal)',
      'What the bottlenecks mean',
    ],
    rows,
    footnotes: cpuBound
      ? [
          `Rows limited by cpu / cpu: ${CPU_BOUND_ADVICE}. Their CPU per Gbit/s (% of one core per Gbit/s, bare metal → scenario, medians of the runs) says which path costs more per bit.`,
        ]
      : [],
  }
}

/** Every table of the report, in page order. */
export function reportTables(model: ReportModel): ReportTable[] {
  const stats = (metric: CompareMetric): ReportTable => ({
    id: `table-${metric}`,
    title:
      metric === 'throughput_bps'
        ? 'TCP throughput (iperf3, receiver goodput)'
        : 'TCP latency (qperf tcp_lat, one-way)',
    header: [
      'Scenario',
      'Platform',
      'Hardware profile',
      'n',
      'Failed',
      'Median',
      'p5',
      'p95',
      'CV',
      'Stable',
    ],
    rows: model.groups
      .filter((g) => g.metric === metric)
      .map((g) => [
        g.scenario,
        g.platform,
        g.hardware_profile,
        String(g.n),
        String(g.failed),
        formatValue(metric, g.stats?.median ?? null),
        formatValue(metric, g.stats?.p5 ?? null),
        formatValue(metric, g.stats?.p95 ?? null),
        formatCv(g.stats?.cv ?? null),
        g.stats === null ? '–' : g.stats.unstable ? 'unstable' : 'yes',
      ]),
  })
  return [
    summaryTable(model),
    stats('throughput_bps'),
    stats('latency_s'),
    {
      id: 'table-change',
      title: `Change since the previous window (${model.previous.from} to ${model.previous.to})`,
      header: [
        'Scenario',
        'Platform',
        'Hardware profile',
        'Metric',
        'n prev / cur',
        'Previous median',
        'Current median',
        'Change (95% CI)',
        'Verdict',
        'Limited by (previous / current)',
      ],
      rows: model.changes.map((c) => [
        c.scenario,
        c.platform,
        c.hardware_profile,
        metricName(c.metric),
        `${c.previous_n} / ${c.current_n}`,
        formatValue(c.metric, c.previous_median),
        formatValue(c.metric, c.current_median),
        formatRatioChange(c.ratio, hasCi(c.previous_n, c.current_n)),
        changeVerdict(c, model.min_n),
        formatLimits(c.previous_limited_by, c.limited_by),
      ]),
    },
    overheadTable(model),
    {
      id: 'table-platforms',
      title: 'OpenStack vs KubeVirt (comparable scenarios, KubeVirt relative to OpenStack)',
      header: [
        'Pair',
        'Hardware profile',
        'Metric',
        'OpenStack',
        'KubeVirt',
        'KubeVirt vs OpenStack (95% CI)',
        'Verdict',
        'Limited by (OpenStack / KubeVirt)',
      ],
      rows: model.platforms.map((p) => [
        `${p.label}: ${p.openstack_scenario} vs ${p.kubevirt_scenario}`,
        p.hardware_profile,
        metricName(p.metric),
        `${formatValue(p.metric, p.openstack_median)} (n ${p.openstack_n})`,
        `${formatValue(p.metric, p.kubevirt_median)} (n ${p.kubevirt_n})`,
        p.refused ??
          (p.ratio === null
            ? MISSING
            : hasCi(p.openstack_n, p.kubevirt_n)
              ? `${formatChange(p.ratio.estimate)} (95% CI ${formatChange(p.ratio.ci_low)} to ${formatChange(p.ratio.ci_high)})`
              : `${formatChange(p.ratio.estimate)} (95% CI ${MISSING})`),
        p.verdict ?? MISSING,
        formatLimits(p.openstack_limited_by, p.kubevirt_limited_by),
      ]),
    },
  ]
}
