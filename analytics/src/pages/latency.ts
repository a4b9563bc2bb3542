import * as Plot from '@observablehq/plot'
import { platformScale, REFERENCE_COLORS } from '#core/palette.ts'
import { chartFrame } from '../views/chart-frame.ts'
import { h } from '../views/dom.ts'
import { platformLegend, referenceLegend } from '../views/legend.ts'
import { num, renderQueryPage, type Page } from './page.ts'
import { formatDuration } from '#core/units.ts'

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
          'qperf tcp_lat one-way latency (RTT/2), lower is better, one chart per hardware profile: median bar, p5–p95 line, dashed line = bare-metal median of that profile.',
        query: 'tcp-latency-by-scenario',
        empty: 'No successful qperf tcp_lat runs match these filters.',
      },
      (result) => {
        const rows = result.rows.map((r) => ({
          hardware_profile: String(r.hardware_profile ?? 'no profile'),
          platform: String(r.platform),
          scenario: String(r.scenario),
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
              label: 'bare-metal median of the same hardware profile',
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
  n: number | null
  median: number
  p5: number
  p95: number
}

/** One hardware profile's latency chart, its bare-metal median as the reference line. */
function latencyChart(profile: string, rows: LatencyRow[]): HTMLElement {
  const baseline = rows.find((r) => r.platform === 'baremetal')
  const plot = Plot.plot({
    width: 760,
    height: 60 + rows.length * 28,
    marginLeft: 90,
    x: { label: 'one-way latency (µs) ← lower is better', grid: true },
    y: { label: null, domain: rows.map((r) => r.scenario) },
    color: platformScale(rows.map((r) => r.platform)),
    marks: [
      Plot.barX(rows, {
        y: 'scenario',
        x: 'median',
        fill: 'platform',
        title: (r: LatencyRow) =>
          `${r.platform} · ${r.scenario}: median ${formatDuration(r.median * 1e-6)} (n = ${r.n}), p5–p95 ${formatDuration(r.p5 * 1e-6)} to ${formatDuration(r.p95 * 1e-6)}`,
      }),
      Plot.ruleY(rows, {
        y: 'scenario',
        x1: 'p5',
        x2: 'p95',
        stroke: REFERENCE_COLORS.interval,
      }),
      Plot.ruleX(baseline ? [baseline.median] : [], {
        stroke: REFERENCE_COLORS.baseline,
        strokeDasharray: '4,3',
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
