import type { QueryResult } from '../db.ts'
import { formatBps } from '../format.ts'
import { repetitionGroups, type RepetitionGroup } from '../repetition-groups.ts'
import { stripChart } from '../views/strip-chart.ts'
import { profileFacets } from '../views/profile-facets.ts'
import { renderQueryPage, type Page } from './page.ts'

/** A group of repetitions (see `repetitionGroups`) with its figures named in bit/s. */
export interface ThroughputGroup extends RepetitionGroup {
  median_bps: number
  /** 95 % order-statistic interval of the median (null below 6 repetitions). */
  ci_low_bps: number | null
  ci_high_bps: number | null
  p5_bps: number
  p95_bps: number
  /** Median of the bare-metal runs sharing this group's comparison key; null when none. */
  baseline_median_bps: number | null
  /** median / matched baseline median. */
  vs_baseline_fraction: number | null
  ceiling_bps: number | null
}

interface Row {
  role: string
  platform: string
  scenario: string
  hardware_profile: string
  comparison_key: string | null
  throughput_bps: number
  ceiling_bps: number | null
}

/** Groups of repetitions per hardware profile, each with its own matched baseline. */
export function throughputGroups(result: QueryResult): ThroughputGroup[] {
  const rows = (result.rows as unknown as Row[]).map((r) => ({
    ...r,
    value: r.throughput_bps,
    ceiling: r.ceiling_bps,
  }))
  return repetitionGroups(rows, 'higher').map((g) => ({
    ...g,
    median_bps: g.median,
    ci_low_bps: g.ci_low,
    ci_high_bps: g.ci_high,
    p5_bps: g.p5,
    p95_bps: g.p95,
    baseline_median_bps: g.baseline_median,
    vs_baseline_fraction: g.baseline_median ? g.median / g.baseline_median : null,
    ceiling_bps: g.ceiling,
  }))
}

/** The summary table: one row per group, numbers in bit/s (shown scaled, exact on hover). */
function summaryTable(groups: ThroughputGroup[], elapsedMs: number): QueryResult {
  const names = [
    'platform',
    'scenario',
    'hardware_profile',
    'n',
    'median_bps',
    'ci_low_bps',
    'ci_high_bps',
    'p5_bps',
    'p95_bps',
    'baseline_median_bps',
    'vs_baseline_fraction',
    'ceiling_bps',
    'comparison_key',
  ] as const
  return {
    columns: names.map((name) => ({
      name,
      type: name === 'n' ? 'Int32' : /bps|fraction/.test(name) ? 'Float64' : 'Utf8',
    })),
    rows: groups.map((g) => Object.fromEntries(names.map((n) => [n, g[n]]))),
    elapsedMs,
  }
}

function profileChart(profile: string, groups: ThroughputGroup[]): HTMLElement {
  const figure = stripChart(groups, {
    title: `Hardware profile ${profile}: TCP throughput, higher is better`,
    axis: 'Gbit/s →',
    display: (bps) => bps / 1e9,
    format: formatBps,
    ceiling: true,
  })
  figure.dataset.profile = profile
  // the repetitions are the dots; the groups' figures (not every value) are enough here
  figure.dataset.values = JSON.stringify(groups.map(({ values: _values, ...g }) => g))
  return figure
}

/** TCP throughput per scenario: repetitions as points, median, matched baseline and ceiling. */
export const throughputPage: Page = {
  id: 'throughput',
  title: 'TCP throughput per scenario',
  render: (root, context) => {
    let groups: ThroughputGroup[] = []
    return renderQueryPage(
      root,
      context,
      {
        title: 'TCP throughput per scenario',
        about:
          'iperf3 TCP receiver goodput (status ok), one chart per hardware profile: each dot is a repetition, the thick tick its median, the black line the median’s 95 % CI (order statistics, 6+ repetitions); dashed black = median of the bare-metal runs with the same comparison key (the matched baseline of that row); red = theoretical ceiling.',
        query: 'tcp-throughput-runs-with-baseline',
        empty: 'No successful iperf3 TCP runs match these filters.',
        table: (result) => summaryTable(groups, result.elapsedMs),
      },
      (result) => {
        groups = throughputGroups(result)
        return profileFacets('throughput', groups, {
          ceiling: true,
          each: 'chart',
          draw: profileChart,
        })
      },
    )
  },
}
