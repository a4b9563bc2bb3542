import * as Plot from '@observablehq/plot'
import { platformScale, REFERENCE_COLORS } from '#core/palette.ts'
import { chartFrame } from '../views/chart-frame.ts'
import { h } from '../views/dom.ts'
import { platformLegend, referenceLegend } from '../views/legend.ts'
import { num, renderQueryPage, type Page } from './page.ts'
import { formatDuration } from '#core/units.ts'
import { distinguishingLabels } from '#core/report/group-labels.ts'

/** TCP latency per scenario (qperf tcp_lat, one-way), lower is better. */
export const latencyPage: Page = {
  id: 'latency',
  title: 'TCP latency per scenario',
  render: (root, context) =>
    renderQueryPage(
      root,
      context,
      {
        title: 'TCP latency per scenario',
        about:
          'qperf tcp_lat one-way latency (RTT/2), lower is better, one chart per hardware profile: median bar, p5–p95 line, dashed tick = median of the bare-metal runs with the same comparison key (the matched baseline of that row).',
        query: 'tcp-latency-by-scenario',
        empty: 'No successful qperf tcp_lat runs match these filters.',
      },
      (result) => {
        const rows = result.rows.map((r) => ({
          hardware_profile: String(r.hardware_profile ?? 'no profile'),
          platform: String(r.platform),
          scenario: String(r.scenario),
          comparison_key: r.comparison_key === null ? null : String(r.comparison_key),
          label: '',
          baseline: null,
          n: num(r, 'n'),
          median: num(r, 'median_latency_s')! * 1e6,
          p5: num(r, 'p5_latency_s')! * 1e6,
          p95: num(r, 'p95_latency_s')! * 1e6,
        }))
        const profiles = [...new Set(rows.map((r) => r.hardware_profile))]
        return h(
          'div',
          { class: 'latency' },
          platformLegend(rows.map((r) => r.platform)),
          referenceLegend([
            {
              label: 'matched bare-metal median (same comparison key)',
              color: REFERENCE_COLORS.baseline,
              dashed: true,
            },
            { label: 'p5–p95', color: REFERENCE_COLORS.interval },
          ]),
          ...(profiles.length > 1
            ? [
                h(
                  'p',
                  { class: 'status', 'data-state': 'facets' },
                  `${profiles.length} hardware profiles, one chart each (pick one in the filters to see only it).`,
                ),
              ]
            : []),
          ...profiles.map((profile) =>
            latencyChart(
              profile,
              rows.filter((r) => r.hardware_profile === profile),
            ),
          ),
        )
      },
    ),
}

interface LatencyRow {
  hardware_profile: string
  platform: string
  scenario: string
  comparison_key: string | null
  /** What tells this row from the others of its profile (scenario, + key parts when needed). */
  label: string
  /** Median of the bare-metal row with the same comparison key (µs), the matched baseline. */
  baseline: number | null
  n: number | null
  median: number
  p5: number
  p95: number
}

/**
 * One hardware profile's latency chart: one bar per (platform, scenario, comparison key) group,
 * never stacked, and per row the median of the bare-metal group with the same key.
 */
function latencyChart(profile: string, rows: LatencyRow[]): HTMLElement {
  const labels = distinguishingLabels(rows.map((r) => ({ ...r, hardware_profile: null })))
  rows.forEach((r, i) => {
    r.label = labels[i]
    r.baseline =
      rows.find((b) => b.platform === 'baremetal' && b.comparison_key === r.comparison_key)
        ?.median ?? null
  })
  const matched = rows.filter((r) => r.baseline !== null)
  const plot = Plot.plot({
    width: 760,
    height: 60 + rows.length * 28,
    marginLeft: 130,
    x: { label: 'one-way latency (µs) ← lower is better', grid: true },
    y: { label: null, domain: rows.map((r) => r.label) },
    color: platformScale(rows.map((r) => r.platform)),
    marks: [
      Plot.barX(rows, {
        y: 'label',
        x: 'median',
        fill: 'platform',
        title: (r: LatencyRow) =>
          `${r.label} (${r.platform}): median ${formatDuration(r.median * 1e-6)} (n = ${r.n}), p5–p95 ${formatDuration(r.p5 * 1e-6)} to ${formatDuration(r.p95 * 1e-6)}`,
      }),
      Plot.ruleY(rows, {
        y: 'label',
        x1: 'p5',
        x2: 'p95',
        stroke: REFERENCE_COLORS.interval,
      }),
      Plot.tickX(matched, {
        y: 'label',
        x: 'baseline',
        stroke: REFERENCE_COLORS.baseline,
        strokeDasharray: '3,2',
        strokeWidth: 2,
      }),
      Plot.ruleX([0]),
    ],
  })
  const figure = chartFrame(
    `Hardware profile ${profile}: median TCP latency (µs), lower is better`,
    plot,
    rows.length,
  )
  figure.dataset.profile = profile
  figure.dataset.values = JSON.stringify(rows)
  return figure
}
