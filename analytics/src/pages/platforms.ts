import * as Plot from '@observablehq/plot'
import { platformScale } from '#core/palette.ts'
import { chartFrame } from '../views/chart-frame.ts'
import { platformLegend } from '../views/legend.ts'
import { h } from '../views/dom.ts'
import { num, renderQueryPage, type Page } from './page.ts'
import { formatBitRate, formatDuration } from '#core/units.ts'

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
          'Median iperf3 TCP throughput (left) and qperf tcp_lat latency (right) per platform and scenario, one pair of charts per hardware profile; bare metal is the reference.',
        query: 'tcp-medians-by-platform-scenario',
        empty: 'No OpenStack, KubeVirt or bare-metal runs match these filters.',
      },
      (result) => {
        const rows: PlatformRow[] = result.rows.map((r) => ({
          hardware_profile: String(r.hardware_profile ?? 'no profile'),
          platform: String(r.platform),
          scenario: String(r.scenario),
          label: `${r.platform} · ${r.scenario}`,
          throughput_n: num(r, 'throughput_n'),
          throughput_keys: num(r, 'throughput_keys') ?? 0,
          latency_keys: num(r, 'latency_keys') ?? 0,
          latency_n: num(r, 'latency_n'),
          gbps:
            num(r, 'median_throughput_bps') === null
              ? null
              : num(r, 'median_throughput_bps')! / 1e9,
          us: num(r, 'median_latency_s') === null ? null : num(r, 'median_latency_s')! * 1e6,
        }))
        const profiles = [...new Set(rows.map((r) => r.hardware_profile))]
        return h(
          'div',
          { class: 'platforms' },
          platformLegend(rows.map((r) => r.platform)),
          ...(profiles.length > 1
            ? [
                h(
                  'p',
                  { class: 'status', 'data-state': 'facets' },
                  `${profiles.length} hardware profiles, one pair of charts each (pick one in the filters to see only it).`,
                ),
              ]
            : []),
          ...profiles.map((profile) =>
            profileCharts(
              profile,
              rows.filter((r) => r.hardware_profile === profile),
            ),
          ),
        )
      },
    ),
}

interface PlatformRow {
  hardware_profile: string
  platform: string
  scenario: string
  label: string
  throughput_n: number | null
  /** Comparison keys behind each median: more than one means the median mixes settings. */
  throughput_keys: number
  latency_keys: number
  latency_n: number | null
  gbps: number | null
  us: number | null
}

const mixed = (keys: number) =>
  keys > 1 ? `\n⚠ mixes ${keys} comparison keys (see the throughput or latency page)` : ''

/** One hardware profile: throughput (left) and latency (right) per platform and scenario. */
function profileCharts(profile: string, rows: PlatformRow[]): HTMLElement {
  const domain = rows.map((r) => r.label)
  const side = (key: 'gbps' | 'us', label: string) =>
    Plot.plot({
      width: 420,
      height: 60 + rows.length * 26,
      marginLeft: 150,
      x: { label, grid: true },
      y: { label: null, domain },
      color: platformScale(rows.map((r) => r.platform)),
      marks: [
        Plot.barX(
          rows.filter((r) => r[key] !== null),
          {
            y: 'label',
            x: key,
            fill: 'platform',
            title: (r: PlatformRow) =>
              key === 'gbps'
                ? `${r.label}: median ${formatBitRate(r.gbps! * 1e9)} (n = ${r.throughput_n})${mixed(r.throughput_keys)}`
                : `${r.label}: median ${formatDuration(r.us! * 1e-6)} (n = ${r.latency_n})${mixed(r.latency_keys)}`,
          },
        ),
        Plot.ruleX([0]),
      ],
    })
  const throughput = rows.filter((r) => r.gbps !== null).length
  const latency = rows.filter((r) => r.us !== null).length
  const mixing = rows.filter((r) => r.throughput_keys > 1 || r.latency_keys > 1)
  const section = h(
    'section',
    { class: 'profile', 'data-profile': profile },
    h('h3', {}, `Hardware profile ${profile}`),
    h(
      'div',
      { class: 'side-by-side' },
      chartFrame('Throughput (Gbit/s) →', side('gbps', 'Gbit/s →'), throughput),
      chartFrame('Latency (µs) ← lower is better', side('us', '← µs'), latency),
    ),
    ...(mixing.length > 0
      ? [
          h(
            'p',
            { class: 'status', 'data-state': 'mixed-keys' },
            `⚠ ${mixing.map((r) => r.label).join(', ')}: runs with several comparison keys (other streams, message sizes…), so the median mixes settings; the throughput and latency pages draw one mark per key.`,
          ),
        ]
      : []),
  )
  section.dataset.values = JSON.stringify(rows)
  return section
}
