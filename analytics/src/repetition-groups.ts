import { medianInterval } from '#core/compare/median-interval.ts'
import { describeSample, median } from '#core/compare/stats.ts'
import { distinguishingLabels } from '#core/report/group-labels.ts'
import { appendTo } from '#core/append-to.ts'

/**
 * Repetitions grouped for the strip charts of the throughput, latency and platforms pages: one
 * group per (platform, scenario, hardware profile, comparison key), never two keys in one group,
 * each with its median, the median's order-statistic 95 % interval, and the median of the
 * bare-metal runs that share its comparison key (its matched baseline). Pure (no DOM).
 */

/** One run as the page queries give it: a role, the group columns and one metric value. */
export interface RepetitionRow {
  /** 'run' (selected by the filters) or 'baseline' (a bare-metal run of a selected key). */
  role: string
  platform: string
  scenario: string
  hardware_profile: string
  comparison_key: string | null
  value: number
  /** The run's theoretical ceiling (throughput only). */
  ceiling?: number | null
}

/** One group of repetitions: what a strip chart draws on one row. */
export interface RepetitionGroup {
  platform: string
  scenario: string
  hardware_profile: string
  comparison_key: string | null
  /** Scenario plus only what differs from the other groups of that scenario in the profile. */
  label: string
  values: number[]
  n: number
  median: number
  /** 95 % order-statistic interval of the median; null below 6 repetitions. */
  ci_low: number | null
  ci_high: number | null
  p5: number
  p95: number
  /** Median of the bare-metal runs with this group's comparison key; null when none. */
  baseline_median: number | null
  baseline_n: number
  /** Median of the runs' ceilings; null when none is known. */
  ceiling: number | null
}

/**
 * Groups the rows per (platform, scenario, hardware profile, comparison key), labels them per
 * hardware profile by what differs, and sorts each profile best first (`better`).
 */
export function repetitionGroups(
  rows: readonly RepetitionRow[],
  better: 'higher' | 'lower',
): RepetitionGroup[] {
  const baselines = new Map<string, number[]>()
  const groups = new Map<string, RepetitionRow[]>()
  for (const row of rows) {
    const key = row.comparison_key ?? ''
    if (row.role === 'baseline' || row.platform === 'baremetal') appendTo(baselines, key, row.value)
    if (row.role !== 'run') continue
    const id = [row.platform, row.scenario, row.hardware_profile, key].join('\u0000')
    appendTo(groups, id, row)
  }
  const out: RepetitionGroup[] = [...groups.values()].map((members) => {
    const first = members[0]
    const values = members.map((r) => r.value)
    const stats = describeSample(values)!
    const ci = medianInterval(values)!
    const base = baselines.get(first.comparison_key ?? '') ?? []
    const ceilings = members
      .map((r) => r.ceiling ?? null)
      .filter((c): c is number => c !== null && Number.isFinite(c))
    return {
      platform: first.platform,
      scenario: first.scenario,
      hardware_profile: first.hardware_profile,
      comparison_key: first.comparison_key,
      label: '',
      values,
      n: values.length,
      median: stats.median,
      ci_low: ci.ci_low,
      ci_high: ci.ci_high,
      p5: stats.p5,
      p95: stats.p95,
      baseline_median: base.length > 0 ? median(base) : null,
      baseline_n: base.length,
      ceiling: ceilings.length > 0 ? median(ceilings) : null,
    }
  })
  // labels are made per hardware profile: each profile is its own chart
  for (const profile of new Set(out.map((g) => g.hardware_profile))) {
    const inProfile = out.filter((g) => g.hardware_profile === profile)
    const labels = distinguishingLabels(inProfile.map((g) => ({ ...g, hardware_profile: null })))
    inProfile.forEach((g, i) => (g.label = labels[i]))
  }
  const sign = better === 'higher' ? -1 : 1
  return out.sort(
    (a, b) =>
      a.hardware_profile.localeCompare(b.hardware_profile) ||
      sign * (a.median - b.median) ||
      a.label.localeCompare(b.label),
  )
}
