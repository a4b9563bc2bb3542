import * as Plot from '@observablehq/plot'
import { platformScale } from '#core/palette.ts'
import { chartFrame } from '../views/chart-frame.ts'
import { platformLegend } from '../views/legend.ts'
import { h } from '../views/dom.ts'
import { num, renderQueryPage, type Page } from './page.ts'

/** OpenStack vs KubeVirt side by side, bare metal as the reference. */
export const platformsPage: Page = {
  id: 'platforms',
  title: 'OpenStack vs KubeVirt',
  render: (root, context) =>
    renderQueryPage(
      root,
      context,
      {
        title: 'OpenStack vs KubeVirt',
        about:
          'Median iperf3 TCP throughput (left) and qperf tcp_lat latency (right) per platform and scenario; bare metal is the reference.',
        query: 'tcp-medians-by-platform-scenario',
        empty: 'No OpenStack, KubeVirt or bare-metal runs match these filters.',
      },
      (result) => {
        const rows = result.rows.map((r) => ({
          ...r,
          label: `${r.platform} · ${r.scenario}`,
          gbps:
            num(r, 'median_throughput_bps') === null
              ? null
              : num(r, 'median_throughput_bps')! / 1e9,
          us: num(r, 'median_latency_s') === null ? null : num(r, 'median_latency_s')! * 1e6,
        }))
        const domain = rows.map((r) => r.label)
        const side = (key: 'gbps' | 'us', label: string) =>
          Plot.plot({
            width: 420,
            height: 60 + rows.length * 26,
            marginLeft: 150,
            x: { label, grid: true },
            y: { label: null, domain },
            color: platformScale(result.rows.map((r) => String(r.platform))),
            marks: [
              Plot.barX(
                rows.filter((r) => r[key] !== null),
                { y: 'label', x: key, fill: 'platform', tip: true },
              ),
              Plot.ruleX([0]),
            ],
          })
        const throughput = rows.filter((r) => r.gbps !== null).length
        const latency = rows.filter((r) => r.us !== null).length
        return h(
          'div',
          {},
          platformLegend(result.rows.map((r) => String(r.platform))),
          h(
            'div',
            { class: 'side-by-side' },
            chartFrame('Throughput (Gbit/s) →', side('gbps', 'Gbit/s →'), throughput),
            chartFrame('Latency (µs) ← lower is better', side('us', '← µs'), latency),
          ),
        )
      },
    ),
}
