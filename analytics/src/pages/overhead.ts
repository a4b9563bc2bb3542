import * as Plot from '@observablehq/plot'
import type { VerdictLabel } from '#core/compare/index.ts'
import { compareBaselineGroups, overheadOrPoint } from '#core/report/baseline-groups.ts'
import { describeKey, distinguishingLabels } from '#core/report/group-labels.ts'
import type { BaselineSampleRow } from '#core/report/report-model.ts'
import { platformColor, platformScale, REFERENCE_COLORS } from '#core/palette.ts'
import { chartFrame } from '../views/chart-frame.ts'
import { h } from '../views/dom.ts'
import { platformLegend } from '../views/legend.ts'
import { exactNumber, formatBps, formatPercent } from '../format.ts'
import type { QueryResult } from '../db.ts'
import { renderQueryPage, type Page } from './page.ts'

/** One mark of the overhead chart: a (platform, scenario, hardware profile, comparison key) group. */
export interface OverheadPoint {
  platform: string
  scenario: string
  hardware_profile: string
  comparison_key: string | null
  /** Scenario plus only what differs from the other groups of that scenario. */
  label: string
  n: number
  baseline_n: number
  scenario_median: number | null
  baseline_median: number | null
  /** Ratio of geometric means scenario / bare metal, with its 95% Welch-log CI. */
  ratio: number
  ratio_ci_low: number | null
  ratio_ci_high: number | null
  overhead: number
  /** Null when a side has fewer than 3 runs: the API gives no interval there. */
  ci_low: number | null
  ci_high: number | null
  /** `verdict.verdict` of `GET /v1/compare` (band ±5%), and its reason. */
  verdict: VerdictLabel
  verdict_reason: string
  /** `candidate.bottleneck.limited_by` and `baseline.bottleneck.limited_by` of the API. */
  limited_by: string
  baseline_limited_by: string
}

/**
 * The overhead of each group vs its matched bare metal, with the verdict and bottlenecks, all from
 * `compareRuns` as `GET /v1/compare` computes them: the chart cannot show a number the API would
 * not. One point per group, never summed.
 */
export function overheadPoints(result: QueryResult): OverheadPoint[] {
  // the report's own grouping (functions/core/report/baseline-groups.ts): one function for both
  const groups = compareBaselineGroups(result.rows as unknown as BaselineSampleRow[])
    .map((g) => ({ ...g, overhead: overheadOrPoint(g.result) }))
    .filter((g) => g.overhead !== null)
  const labels = distinguishingLabels(groups)
  return groups
    .map((g, i) => {
      const r = g.result
      return {
        platform: g.platform,
        scenario: g.scenario,
        hardware_profile: g.hardware_profile,
        comparison_key: g.comparison_key,
        label: labels[i],
        n: r.candidate.n,
        baseline_n: r.baseline.n,
        scenario_median: r.candidate.stats?.median ?? null,
        baseline_median: r.baseline.stats?.median ?? null,
        ratio: r.ratio?.estimate ?? r.point_estimates.ratio_of_geometric_means!,
        ratio_ci_low: r.ratio?.ci_low ?? null,
        ratio_ci_high: r.ratio?.ci_high ?? null,
        overhead: g.overhead!.estimate,
        ci_low: g.overhead!.ci_low,
        ci_high: g.overhead!.ci_high,
        verdict: r.verdict.verdict,
        verdict_reason: r.verdict.reason,
        limited_by: r.candidate.bottleneck?.limited_by ?? 'unknown',
        baseline_limited_by: r.baseline.bottleneck?.limited_by ?? 'unknown',
      }
    })
    .sort((a, b) => a.overhead - b.overhead || a.label.localeCompare(b.label))
}

/** "41.6% (95% CI 38.0% to 45.1%)", or "41.6% (no CI: n = 1)". */
export function overheadText(p: OverheadPoint): string {
  const ci =
    p.ci_low === null || p.ci_high === null
      ? `no CI: n = ${Math.min(p.n, p.baseline_n)}`
      : `95% CI ${formatPercent(p.ci_low)} to ${formatPercent(p.ci_high)}`
  return `${formatPercent(p.overhead)} (${ci})`
}

/** "ratio 0.584 (95% CI 0.549 to 0.620), WORSE; limited by cpu vs bare metal unknown". */
export function verdictText(p: OverheadPoint): string {
  const ci =
    p.ratio_ci_low === null || p.ratio_ci_high === null
      ? 'no CI'
      : `95% CI ${ratioText(p.ratio_ci_low)} to ${ratioText(p.ratio_ci_high)}`
  return `ratio ${ratioText(p.ratio)} (${ci}), ${p.verdict}; limited by ${p.limited_by} vs bare metal ${p.baseline_limited_by}`
}

function ratioText(x: number): string {
  return x.toFixed(3)
}

/** Overhead vs bare metal with confidence intervals. */
export const overheadPage: Page = {
  id: 'overhead',
  title: 'Overhead vs bare metal',
  render: (root, context) => {
    let points: OverheadPoint[] = []
    return renderQueryPage(
      root,
      context,
      {
        title: 'Overhead vs bare metal',
        about:
          'Throughput overhead = 1 − scenario / bare metal (ratio of geometric means, as GET /v1/compare), one bar per scenario and comparison key (a scenario measured with two settings gets two bars, labelled by what differs), baseline matched on the comparison key; black line = 95 % Welch interval on log throughput over repetitions (none below 3 runs per side). Verdict against the ±5 % band (SAME / BETTER / WORSE / INCONCLUSIVE) and limited_by of each side (ceiling, cpu, loss, unknown or mixed), as GET /v1/compare gives them. The same computation as GET /v1/compare and the report.',
        query: 'tcp-throughput-samples-with-baseline',
        empty:
          'No virtual-scenario iperf3 TCP runs with a matching bare-metal baseline (same comparison key).',
        table: (result) => overheadTable(points, result.elapsedMs),
      },
      (result) => {
        points = overheadPoints(result)
        const withCi = points.filter((p) => p.ci_low !== null)
        const plot = Plot.plot({
          width: 760,
          height: 60 + points.length * 28,
          marginLeft: 230,
          x: { label: 'overhead vs bare metal (%) →', percent: true, grid: true },
          y: { label: null, domain: points.map((r) => r.label) },
          color: platformScale(points.map((p) => p.platform)),
          marks: [
            // x1/x2 (not x) so bars are never stacked: each bar spans 0 → its own overhead
            Plot.barX(points, {
              y: 'label',
              x1: 0,
              x2: 'overhead',
              fill: 'platform',
              fillOpacity: 0.85,
              title: (p: OverheadPoint) =>
                `${p.label}: ${overheadText(p)}\n${verdictText(p)}\n${p.platform}, ${p.hardware_profile}\n${describeKey(p.comparison_key)}`,
            }),
            Plot.ruleY(withCi, {
              y: 'label',
              x1: 'ci_low',
              x2: 'ci_high',
              stroke: REFERENCE_COLORS.interval,
              strokeWidth: 2,
            }),
            Plot.ruleX([0]),
          ],
        })
        const figure = chartFrame('Throughput overhead vs bare metal, 95 % CI', plot, points.length)
        figure.dataset.values = JSON.stringify(points)
        const list = h(
          'ul',
          { class: 'overhead-list' },
          ...points.map((p) =>
            h(
              'li',
              {
                'data-label': p.label,
                'data-overhead': exactNumber(p.overhead),
                'data-verdict': p.verdict,
                'data-limited-by': p.limited_by,
                'data-baseline-limited-by': p.baseline_limited_by,
                title: describeKey(p.comparison_key),
              },
              h('span', { class: 'swatch', style: `background:${platformColor(p.platform)}` }),
              `${p.label}: ${overheadText(p)}; median ${formatBps(p.scenario_median)} vs bare metal ${formatBps(p.baseline_median)} (n = ${p.n}, baseline n = ${p.baseline_n})`,
            ),
          ),
        )
        return h('div', {}, platformLegend(points.map((p) => p.platform)), figure, list)
      },
    )
  },
}

/** The table under the chart: one row per mark, the same numbers. */
function overheadTable(points: OverheadPoint[], elapsedMs: number): QueryResult {
  const names = [
    'label',
    'verdict',
    'overhead',
    'ci_low_overhead',
    'ci_high_overhead',
    'ratio',
    'ci_low_ratio',
    'ci_high_ratio',
    'limited_by',
    'baseline_limited_by',
    'platform',
    'hardware_profile',
    'n',
    'baseline_n',
    'scenario_median_bps',
    'baseline_median_bps',
    'comparison_key',
  ]
  return {
    columns: names.map((name) => ({
      name,
      type: /^n$|_n$/.test(name) ? 'Int32' : /bps|overhead|ratio/.test(name) ? 'Float64' : 'Utf8',
    })),
    rows: points.map((p) => ({
      ...p,
      scenario_median_bps: p.scenario_median,
      baseline_median_bps: p.baseline_median,
      ci_low_ratio: p.ratio_ci_low,
      ci_high_ratio: p.ratio_ci_high,
      ci_low_overhead: p.ci_low,
      ci_high_overhead: p.ci_high,
    })),
    elapsedMs,
  }
}
