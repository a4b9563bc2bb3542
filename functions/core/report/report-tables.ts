import type { CompareMetric } from '#core/compare/index.ts'
import {
  formatChange,
  formatCv,
  formatPercent,
  formatRatioChange,
  formatValue,
  metricName,
} from './format.ts'
import type { ReportModel } from './report-model.ts'

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
}

const VERDICT_TEXT: Record<string, string> = {
  regression: '**REGRESSION**',
  improvement: 'improvement',
  'within-tolerance': 'within tolerance',
  inconclusive: 'inconclusive',
  'insufficient-data': 'insufficient data',
  'key-mismatch': 'not comparable (keys differ)',
}

/** Verdict as shown in a table cell (Markdown emphasis for regressions; HTML strips it). */
export function verdictText(verdict: string): string {
  return VERDICT_TEXT[verdict] ?? verdict
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
      ],
      rows: model.changes.map((c) => [
        c.scenario,
        c.platform,
        c.hardware_profile,
        metricName(c.metric),
        `${c.previous_n} / ${c.current_n}`,
        formatValue(c.metric, c.previous_median),
        formatValue(c.metric, c.current_median),
        formatRatioChange(c.ratio),
        verdictText(c.verdict),
      ]),
    },
    {
      id: 'table-overhead',
      title: 'Throughput overhead vs matched bare metal (same comparison key)',
      header: [
        'Scenario',
        'Platform',
        'Hardware profile',
        'n / baseline n',
        'Scenario median',
        'Baseline median',
        'Overhead (95% CI)',
      ],
      rows: model.overhead.map((o) => [
        o.scenario,
        o.platform,
        o.hardware_profile,
        `${o.n} / ${o.baseline_n}`,
        formatValue('throughput_bps', o.scenario_median),
        formatValue('throughput_bps', o.baseline_median),
        o.overhead === null
          ? (o.note ?? '–')
          : `${formatPercent(o.overhead.estimate)} (${formatPercent(o.overhead.ci_low)} to ${formatPercent(o.overhead.ci_high)})`,
      ]),
    },
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
      ],
      rows: model.platforms.map((p) => [
        `${p.label}: ${p.openstack_scenario} vs ${p.kubevirt_scenario}`,
        p.hardware_profile,
        metricName(p.metric),
        `${formatValue(p.metric, p.openstack_median)} (n ${p.openstack_n})`,
        `${formatValue(p.metric, p.kubevirt_median)} (n ${p.kubevirt_n})`,
        p.refused ??
          (p.ratio === null
            ? '–'
            : `${formatChange(p.ratio.estimate)} (${formatChange(p.ratio.ci_low)} to ${formatChange(p.ratio.ci_high)})`),
      ]),
    },
  ]
}
