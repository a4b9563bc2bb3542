import * as Plot from '@observablehq/plot'
import { describeSample, median } from '#core/compare/stats.ts'
import { describeKey, distinguishingLabels } from '#core/report/group-labels.ts'
import { platformScale, REFERENCE_COLORS } from '#core/palette.ts'
import type { QueryResult } from '../db.ts'
import { formatBps } from '../format.ts'
import { chartFrame } from '../views/chart-frame.ts'
import { h } from '../views/dom.ts'
import { platformLegend, referenceLegend } from '../views/legend.ts'
import { renderQueryPage, type Page } from './page.ts'

/** One (platform, scenario, hardware profile, comparison key) group of repetitions. */
export interface ThroughputGroup {
  platform: string
  scenario: string
  hardware_profile: string
  comparison_key: string | null
  label: string
  values: number[]
  n: number
  median_bps: number
  p5_bps: number
  p95_bps: number
  /** Median of the bare-metal runs sharing this group's comparison key; null when none. */
  baseline_median_bps: number | null
  baseline_n: number
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
  const rows = result.rows as unknown as Row[]
  const baselines = new Map<string, number[]>()
  const groups = new Map<string, Row[]>()
  for (const row of rows) {
    const key = row.comparison_key ?? ''
    if (row.role === 'baseline' || row.platform === 'baremetal')
      baselines.set(key, [...(baselines.get(key) ?? []), row.throughput_bps])
    if (row.role !== 'run') continue
    const id = [row.platform, row.scenario, row.hardware_profile, key].join('\u0000')
    groups.set(id, [...(groups.get(id) ?? []), row])
  }
  const out = [...groups.values()].map((members) => {
    const first = members[0]
    const values = members.map((r) => r.throughput_bps)
    const stats = describeSample(values)!
    const base = baselines.get(first.comparison_key ?? '') ?? []
    const baseline = base.length > 0 ? median(base) : null
    const ceilings = members.map((r) => r.ceiling_bps).filter((c): c is number => c !== null)
    return {
      platform: first.platform,
      scenario: first.scenario,
      hardware_profile: first.hardware_profile,
      comparison_key: first.comparison_key,
      label: '',
      values,
      n: values.length,
      median_bps: stats.median,
      p5_bps: stats.p5,
      p95_bps: stats.p95,
      baseline_median_bps: baseline,
      baseline_n: base.length,
      vs_baseline_fraction: baseline ? stats.median / baseline : null,
      ceiling_bps: ceilings.length > 0 ? median(ceilings) : null,
    }
  })
  // labels are made per hardware profile: each profile is its own chart
  for (const profile of new Set(out.map((g) => g.hardware_profile))) {
    const inProfile = out.filter((g) => g.hardware_profile === profile)
    const labels = distinguishingLabels(inProfile.map((g) => ({ ...g, hardware_profile: null })))
    inProfile.forEach((g, i) => (g.label = labels[i]))
  }
  return out.sort(
    (a, b) =>
      a.hardware_profile.localeCompare(b.hardware_profile) ||
      b.median_bps - a.median_bps ||
      a.label.localeCompare(b.label),
  )
}

/** The summary table: one row per group, numbers in bit/s (shown scaled, exact on hover). */
function summaryTable(groups: ThroughputGroup[], elapsedMs: number): QueryResult {
  const names = [
    'platform',
    'scenario',
    'hardware_profile',
    'n',
    'median_bps',
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
  const gbps = (bps: number | null) => (bps === null ? null : bps / 1e9)
  const points = groups.flatMap((g) =>
    g.values.map((v) => ({ label: g.label, platform: g.platform, gbps: v / 1e9, bps: v })),
  )
  const baselines = groups.filter((g) => g.baseline_median_bps !== null)
  const ceilings = groups.filter((g) => g.ceiling_bps !== null)
  const plot = Plot.plot({
    width: 760,
    height: 60 + groups.length * 30,
    marginLeft: 170,
    x: { label: 'Gbit/s →', grid: true, zero: true },
    y: { label: null, domain: groups.map((g) => g.label) },
    color: platformScale(groups.map((g) => g.platform)),
    marks: [
      Plot.ruleY(groups, {
        y: 'label',
        x1: (g: ThroughputGroup) => gbps(g.p5_bps),
        x2: (g: ThroughputGroup) => gbps(g.p95_bps),
        stroke: 'platform',
        strokeOpacity: 0.4,
        strokeWidth: 6,
      }),
      Plot.dot(points, {
        y: 'label',
        x: 'gbps',
        fill: 'platform',
        fillOpacity: 0.6,
        r: 3.5,
        title: (p: { label: string; bps: number }) => `${p.label}: ${formatBps(p.bps)}`,
      }),
      Plot.tickX(groups, {
        y: 'label',
        x: (g: ThroughputGroup) => gbps(g.median_bps),
        stroke: 'platform',
        strokeWidth: 3,
        title: (g: ThroughputGroup) =>
          `${g.label}: median ${formatBps(g.median_bps)} (n = ${g.n})\nmatched bare metal ${formatBps(g.baseline_median_bps)} (n = ${g.baseline_n})\n${describeKey(g.comparison_key)}`,
      }),
      Plot.tickX(baselines, {
        y: 'label',
        x: (g: ThroughputGroup) => gbps(g.baseline_median_bps),
        stroke: REFERENCE_COLORS.baseline,
        strokeDasharray: '3,2',
        strokeWidth: 2,
      }),
      Plot.tickX(ceilings, {
        y: 'label',
        x: (g: ThroughputGroup) => gbps(g.ceiling_bps),
        stroke: REFERENCE_COLORS.ceiling,
        strokeWidth: 2,
      }),
      Plot.ruleX([0]),
    ],
  })
  const figure = chartFrame(
    `Hardware profile ${profile}: TCP throughput, higher is better`,
    plot,
    groups.length,
  )
  figure.dataset.profile = profile
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
          'iperf3 TCP receiver goodput (status ok), one chart per hardware profile: each dot is a repetition, the thick tick its median, the band p5–p95; dashed black = median of the bare-metal runs with the same comparison key (the matched baseline of that row); red = theoretical ceiling.',
        query: 'tcp-throughput-runs-with-baseline',
        empty: 'No successful iperf3 TCP runs match these filters.',
        table: (result) => summaryTable(groups, result.elapsedMs),
      },
      (result) => {
        groups = throughputGroups(result)
        const profiles = [...new Set(groups.map((g) => g.hardware_profile))]
        return h(
          'div',
          { class: 'throughput' },
          platformLegend(groups.map((g) => g.platform)),
          referenceLegend([
            { label: 'matched bare-metal median', color: REFERENCE_COLORS.baseline, dashed: true },
            { label: 'theoretical ceiling', color: REFERENCE_COLORS.ceiling },
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
          ...profiles.map((p) =>
            profileChart(
              p,
              groups.filter((g) => g.hardware_profile === p),
            ),
          ),
        )
      },
    )
  },
}
