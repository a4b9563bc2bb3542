import * as Plot from '@observablehq/plot'
import { platformScale, REFERENCE_COLORS } from '#core/palette.ts'
import { chartFrame } from '../views/chart-frame.ts'
import { h } from '../views/dom.ts'
import { platformLegend, referenceLegend } from '../views/legend.ts'
import { num, renderQueryPage, type Page } from './page.ts'

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
          'qperf tcp_lat one-way latency (RTT/2), lower is better: median bar, p5–p95 line, dashed line = bare-metal median.',
        query: 'tcp-latency-by-scenario',
        empty: 'No successful qperf tcp_lat runs match these filters.',
      },
      (result) => {
        const rows = result.rows.map((r) => ({
          ...r,
          platform: String(r.platform),
          scenario: String(r.scenario),
          median: num(r, 'median_latency_s')! * 1e6,
          p5: num(r, 'p5_latency_s')! * 1e6,
          p95: num(r, 'p95_latency_s')! * 1e6,
        }))
        const baseline = rows.filter((r) => r.platform === 'baremetal').map((r) => r.median)
        const plot = Plot.plot({
          width: 760,
          height: 60 + rows.length * 28,
          marginLeft: 90,
          x: { label: 'one-way latency (µs) ← lower is better', grid: true },
          y: { label: null, domain: rows.map((r) => r.scenario as string) },
          color: platformScale(rows.map((r) => r.platform)),
          marks: [
            Plot.barX(rows, { y: 'scenario', x: 'median', fill: 'platform', tip: true }),
            Plot.ruleY(rows, {
              y: 'scenario',
              x1: 'p5',
              x2: 'p95',
              stroke: REFERENCE_COLORS.interval,
            }),
            Plot.ruleX(baseline.slice(0, 1), {
              stroke: REFERENCE_COLORS.baseline,
              strokeDasharray: '4,3',
            }),
            Plot.ruleX([0]),
          ],
        })
        return h(
          'div',
          {},
          platformLegend(rows.map((r) => r.platform)),
          referenceLegend([
            { label: 'bare-metal median', color: REFERENCE_COLORS.baseline, dashed: true },
            { label: 'p5–p95', color: REFERENCE_COLORS.interval },
          ]),
          chartFrame('Median TCP latency (µs), lower is better', plot, rows.length),
        )
      },
    ),
}
