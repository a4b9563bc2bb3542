import * as Plot from '@observablehq/plot'
import { chartFrame } from '../views/chart-frame.ts'
import { num, renderQueryPage, type Page } from './page.ts'

/** The same scenario across hardware profiles and campaigns. */
export const profilesPage: Page = {
  id: 'profiles',
  title: 'Across hardware and campaigns',
  render: (root, context) =>
    renderQueryPage(
      root,
      context,
      {
        title: 'The same scenario across hardware profiles and campaigns',
        about:
          'Median iperf3 TCP throughput per scenario, hardware profile (facet) and campaign (colour), p5–p95 line. Pick a scenario in the filters to focus on one.',
        query: 'tcp-throughput-by-profile-campaign',
        empty: 'No successful iperf3 TCP runs match these filters.',
      },
      (result) => {
        const rows = result.rows.map((r) => ({
          ...r,
          median: num(r, 'median_bps')! / 1e9,
          p5: num(r, 'p5_bps')! / 1e9,
          p95: num(r, 'p95_bps')! / 1e9,
        }))
        const plot = Plot.plot({
          width: 760,
          marginLeft: 90,
          marginRight: 120,
          x: { label: 'Gbit/s →', grid: true, zero: true },
          y: { label: null },
          fy: { label: null },
          color: { legend: true },
          marks: [
            Plot.ruleY(rows, {
              y: 'scenario',
              fy: 'hardware_profile',
              x1: 'p5',
              x2: 'p95',
              stroke: 'campaign',
            }),
            Plot.dot(rows, {
              y: 'scenario',
              fy: 'hardware_profile',
              x: 'median',
              fill: 'campaign',
              r: 5,
              tip: true,
            }),
          ],
        })
        return chartFrame(
          'Median TCP throughput by hardware profile and campaign',
          plot,
          rows.length,
        )
      },
    ),
}
