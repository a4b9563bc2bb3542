import { formatBitRate, formatDuration } from '#core/units.ts'
import type { QueryResult } from '../db.ts'
import { repetitionGroups, type RepetitionGroup } from '../repetition-groups.ts'
import { h } from '../views/dom.ts'
import { stripChart } from '../views/strip-chart.ts'
import { profileFacets } from '../views/profile-facets.ts'
import { renderQueryPage, type Page } from './page.ts'

interface Row {
  role: string
  metric: 'throughput_bps' | 'latency_s'
  platform: string
  scenario: string
  hardware_profile: string
  comparison_key: string | null
  value: number
}

/** The groups of one metric: one per (platform, scenario, hardware profile, comparison key). */
export function platformGroups(result: QueryResult, metric: Row['metric']): RepetitionGroup[] {
  const rows = (result.rows as unknown as Row[]).filter((r) => r.metric === metric)
  return repetitionGroups(rows, metric === 'throughput_bps' ? 'higher' : 'lower')
}

/** The table under the charts: one row per group and metric, the same figures. */
function platformTable(
  groups: Array<RepetitionGroup & { metric: Row['metric'] }>,
  elapsedMs: number,
): QueryResult {
  const names = [
    'hardware_profile',
    'platform',
    'scenario',
    'comparison_key',
    'n',
    'median_throughput_bps',
    'baseline_median_throughput_bps',
    'median_latency_s',
    'baseline_median_latency_s',
    'baseline_n',
  ]
  return {
    columns: names.map((name) => ({
      name,
      type: /^n$|_n$/.test(name) ? 'Int32' : /_bps$|_s$/.test(name) ? 'Float64' : 'Utf8',
    })),
    rows: groups.map((g) => {
      const unit = g.metric === 'throughput_bps' ? 'throughput_bps' : 'latency_s'
      return {
        hardware_profile: g.hardware_profile,
        platform: g.platform,
        scenario: g.scenario,
        comparison_key: g.comparison_key,
        n: g.n,
        median_throughput_bps: null,
        baseline_median_throughput_bps: null,
        median_latency_s: null,
        baseline_median_latency_s: null,
        [`median_${unit}`]: g.median,
        [`baseline_median_${unit}`]: g.baseline_median,
        baseline_n: g.baseline_n,
      }
    }),
    elapsedMs,
  }
}

/** One hardware profile: throughput (left) and latency (right), one row per comparison group. */
function profileCharts(
  profile: string,
  throughput: RepetitionGroup[],
  latency: RepetitionGroup[],
): HTMLElement {
  const side = (metric: Row['metric'], groups: RepetitionGroup[]) => {
    const figure = stripChart(groups, {
      title:
        metric === 'throughput_bps' ? 'Throughput (Gbit/s) →' : 'Latency (µs) ← lower is better',
      axis: metric === 'throughput_bps' ? 'Gbit/s →' : '← µs',
      display: metric === 'throughput_bps' ? (bps) => bps / 1e9 : (s) => s * 1e6,
      format: metric === 'throughput_bps' ? formatBitRate : formatDuration,
      width: 440,
      marginLeft: 130,
    })
    figure.dataset.metric = metric
    return figure
  }
  return h(
    'section',
    { class: 'profile', 'data-profile': profile },
    h('h3', {}, `Hardware profile ${profile}`),
    h(
      'div',
      { class: 'side-by-side' },
      ...(throughput.length > 0 ? [side('throughput_bps', throughput)] : []),
      ...(latency.length > 0 ? [side('latency_s', latency)] : []),
    ),
  )
}

/** OpenStack vs KubeVirt side by side, bare metal as the reference. */
export const platformsPage: Page = {
  id: 'platforms',
  title: 'OpenStack vs KubeVirt',
  render: (root, context) => {
    let all: Array<RepetitionGroup & { metric: Row['metric'] }> = []
    return renderQueryPage(
      root,
      context,
      {
        title: 'OpenStack vs KubeVirt',
        about:
          'iperf3 TCP throughput (left) and qperf tcp_lat latency (right) per platform and scenario, one pair of charts per hardware profile and one row per comparison key (a scenario measured two ways gets two rows, labelled by what differs): each dot is a repetition, the thick tick its median, the black line the median’s 95 % CI (6+ repetitions), dashed black = the matched bare-metal median (same comparison key).',
        query: 'tcp-runs-by-platform-with-baseline',
        empty: 'No OpenStack, KubeVirt or bare-metal runs match these filters.',
        table: (result) => platformTable(all, result.elapsedMs),
      },
      (result) => {
        const throughput = platformGroups(result, 'throughput_bps')
        const latency = platformGroups(result, 'latency_s')
        all = [
          ...throughput.map((g) => ({ ...g, metric: 'throughput_bps' as const })),
          ...latency.map((g) => ({ ...g, metric: 'latency_s' as const })),
        ]
        return profileFacets('platforms', all, {
          ceiling: false,
          each: 'pair of charts',
          draw: (profile) =>
            profileCharts(
              profile,
              throughput.filter((g) => g.hardware_profile === profile),
              latency.filter((g) => g.hardware_profile === profile),
            ),
        })
      },
    )
  },
}
