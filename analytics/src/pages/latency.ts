import { formatDuration } from '#core/units.ts'
import type { QueryResult } from '../db.ts'
import { repetitionGroups, type RepetitionGroup } from '../repetition-groups.ts'
import { stripChart } from '../views/strip-chart.ts'
import { profileFacets } from '../views/profile-facets.ts'
import { renderQueryPage, type Page } from './page.ts'

interface Row {
  role: string
  platform: string
  scenario: string
  hardware_profile: string
  comparison_key: string | null
  latency_s: number
}

/** Latency groups (values in seconds) per hardware profile, lowest median first. */
export function latencyGroups(result: QueryResult): RepetitionGroup[] {
  const rows = (result.rows as unknown as Row[]).map((r) => ({ ...r, value: r.latency_s }))
  return repetitionGroups(rows, 'lower')
}

/** The table under the charts: one row per group, the same figures (seconds, shown in µs). */
function latencyTable(groups: RepetitionGroup[], elapsedMs: number): QueryResult {
  const names = [
    'hardware_profile',
    'platform',
    'scenario',
    'comparison_key',
    'n',
    'median_latency_s',
    'ci_low_latency_s',
    'ci_high_latency_s',
    'p5_latency_s',
    'p95_latency_s',
    'baseline_median_latency_s',
    'baseline_n',
  ]
  return {
    columns: names.map((name) => ({
      name,
      type: /^n$|_n$/.test(name) ? 'Int32' : name.endsWith('_s') ? 'Float64' : 'Utf8',
    })),
    rows: groups.map((g) => ({
      hardware_profile: g.hardware_profile,
      platform: g.platform,
      scenario: g.scenario,
      comparison_key: g.comparison_key,
      n: g.n,
      median_latency_s: g.median,
      ci_low_latency_s: g.ci_low,
      ci_high_latency_s: g.ci_high,
      p5_latency_s: g.p5,
      p95_latency_s: g.p95,
      baseline_median_latency_s: g.baseline_median,
      baseline_n: g.baseline_n,
    })),
    elapsedMs,
  }
}

/** TCP latency per scenario (qperf tcp_lat, one-way), lower is better. */
export const latencyPage: Page = {
  id: 'latency',
  title: 'TCP latency per scenario',
  render: (root, context) => {
    let groups: RepetitionGroup[] = []
    return renderQueryPage(
      root,
      context,
      {
        title: 'TCP latency per scenario',
        about:
          'qperf tcp_lat one-way latency (RTT/2), lower is better, one chart per hardware profile and one row per scenario and comparison key: each dot is a repetition, the thick tick its median, the black line the median’s 95 % CI (order statistics, 6+ repetitions); dashed black = median of the bare-metal runs with the same comparison key (the matched baseline of that row).',
        query: 'tcp-latency-runs-with-baseline',
        empty: 'No successful qperf tcp_lat runs match these filters.',
        table: (result) => latencyTable(groups, result.elapsedMs),
      },
      (result) => {
        groups = latencyGroups(result)
        return profileFacets('latency', groups, {
          ceiling: false,
          each: 'chart',
          draw: (profile, inProfile) => {
            const figure = stripChart(inProfile, {
              title: `Hardware profile ${profile}: TCP latency (µs), lower is better`,
              axis: '← one-way latency (µs), lower is better',
              display: (s) => s * 1e6,
              format: formatDuration,
              marginLeft: 130,
            })
            figure.dataset.profile = profile
            return figure
          },
        })
      },
    )
  },
}
