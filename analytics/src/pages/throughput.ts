import * as Plot from '@observablehq/plot'
import { chartFrame } from '../views/chart-frame.ts'
import { num, renderQueryPage, type Page } from './page.ts'

/** TCP throughput per scenario: median bars, p5–p95 spread, bare metal and ceiling marked. */
export const throughputPage: Page = {
  id: 'throughput',
  title: 'TCP throughput per scenario',
  render: (root, context) =>
    renderQueryPage(
      root,
      context,
      {
        title: 'TCP throughput per scenario',
        about:
          'iperf3 TCP receiver goodput (status ok): median bar, p5–p95 line, dashed line = bare-metal median, red tick = theoretical ceiling.',
        query: 'tcp-throughput-by-scenario',
        empty: 'No successful iperf3 TCP runs match these filters.',
      },
      (result) => {
        const rows = result.rows.map((r) => ({
          ...r,
          platform: String(r.platform),
          scenario: String(r.scenario),
          median: num(r, 'median_bps')! / 1e9,
          p5: num(r, 'p5_bps')! / 1e9,
          p95: num(r, 'p95_bps')! / 1e9,
          ceiling: num(r, 'ceiling_bps') === null ? null : num(r, 'ceiling_bps')! / 1e9,
        }))
        const baseline = rows.filter((r) => r.platform === 'baremetal').map((r) => r.median)
        const ceilings = rows.filter((r) => r.ceiling !== null)
        const plot = Plot.plot({
          width: 760,
          height: 60 + rows.length * 28,
          marginLeft: 90,
          x: { label: 'Gbit/s →', grid: true },
          y: { label: null, domain: rows.map((r) => r.scenario as string) },
          color: { legend: true },
          marks: [
            Plot.barX(rows, { y: 'scenario', x: 'median', fill: 'platform', tip: true }),
            Plot.ruleY(rows, { y: 'scenario', x1: 'p5', x2: 'p95', stroke: 'black' }),
            Plot.ruleX(baseline.slice(0, 1), { stroke: 'black', strokeDasharray: '4,3' }),
            Plot.tickX(ceilings, { y: 'scenario', x: 'ceiling', stroke: 'red', strokeWidth: 2 }),
            Plot.ruleX([0]),
          ],
        })
        return chartFrame('Median TCP throughput (Gbit/s), higher is better', plot, rows.length)
      },
    ),
}
